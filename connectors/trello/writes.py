"""TrelloWrites: TrelloConnector's calls that change Trello; each new object's name is learnt for messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from connectors.trello.calls import TrelloCalls


class TrelloWrites(TrelloCalls):
    """The writes of TrelloConnector, on the translated calls of TrelloCalls."""

    def create_board(self, name: str) -> dict[str, Any]:
        """A new empty board (no default lists)."""
        return self._object("a new board", "/boards", "POST", {"name": name, "defaultLists": False})

    def create_list(self, board_id: str, name: str, pos: str | float = "bottom") -> dict[str, Any]:
        """A new list on a board."""
        args = {"name": name, "idBoard": board_id, "pos": pos}
        return self._learnt(board_id, f"a new list on {self.names.of('board', board_id)}", "/lists", args)

    def create_label(self, board_id: str, name: str, color: str | None) -> dict[str, Any]:
        """A new label on a board (color None: no color)."""
        args = {"name": name, "color": color, "idBoard": board_id}
        return self._learnt(board_id, f"a new label on {self.names.of('board', board_id)}", "/labels", args)

    def create_custom_field(
        self, board_id: str, name: str, type_: str, options: Sequence[str] = ()
    ) -> dict[str, Any]:
        """A new custom field on a board; `options` are the choices of a "list" field."""
        args: dict[str, Any] = {
            "idModel": board_id,
            "modelType": "board",
            "name": name,
            "type": type_,
            "pos": "bottom",
            "display_cardFront": True,
        }
        if options:
            args["options"] = [{"value": {"text": option}} for option in options]
        what = f"a new custom field on {self.names.of('board', board_id)}"
        return self._learnt(board_id, what, "/customFields", args)

    def create_card(self, list_id: str, name: str, **fields: Any) -> dict[str, Any]:
        """A new card in a list; `fields` are any other card fields Trello accepts (desc, due, pos, ...)."""
        args = {"idList": list_id, "name": name, **fields}
        return self._learnt(None, f"a new card in {self.names.of('list', list_id)}", "/cards", args)

    def update_card(self, card_id: str, **fields: Any) -> dict[str, Any]:
        """Change a card's fields in one PUT /1/cards/{id}."""
        return self._object(self.names.of("card", card_id), f"/cards/{card_id}", "PUT", fields)

    def set_custom_field(
        self, card_id: str, field_id: str, value: dict[str, Any] | None, id_value: str | None = None
    ) -> None:
        """Set a custom field item to `value` ({"text": "x"}) or a list option `id_value`; neither: clear."""
        args: dict[str, Any]
        if id_value is not None:
            args = {"idValue": id_value}
        elif value is not None:
            args = {"value": value}
        else:
            args = {"value": "", "idValue": ""}
        path = f"/cards/{card_id}/customField/{field_id}/item"
        what = f"{self.names.of('custom field', field_id)} of {self.names.of('card', card_id)}"
        self._json(what, path, "PUT", args)

    def add_label(self, card_id: str, label_id: str) -> None:
        """Put a label on a card."""
        self._json(
            f"{self.names.of('label', label_id)} on {self.names.of('card', card_id)}",
            f"/cards/{card_id}/idLabels",
            "POST",
            {"value": label_id},
        )

    def delete_card(self, card_id: str) -> None:
        """Delete a card for good."""
        self._json(self.names.of("card", card_id), f"/cards/{card_id}", "DELETE")

    def create_webhook(self, model_id: str, callback_url: str, description: str = "") -> dict[str, Any]:
        """A webhook calling `callback_url` on every action on `model_id` (Trello HEADs the URL first)."""
        args = {"idModel": model_id, "callbackURL": callback_url, "description": description}
        return self._object(f"a webhook on {model_id}", f"/tokens/{self._token}/webhooks", "POST", args)

    def delete_webhook(self, webhook_id: str) -> None:
        """Remove a webhook."""
        self._json(f"webhook {webhook_id}", f"/webhooks/{webhook_id}", "DELETE")

    def _learnt(self, board_id: str | None, what: str, path: str, args: dict[str, Any]) -> dict[str, Any]:
        """POST a new object and learn its name (its board's names, or its list's board's)."""
        made = self._object(what, path, "POST", args)
        self.names.learn(board_id, {**made, "idList": made.get("idList", args.get("idList"))})
        return made
