"""Routes take narrow, typed dependencies (app/web/deps.py), never the whole Services container."""

from __future__ import annotations

import ast
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from app.main import create_app
from app.runtime.wiring import Services
from tests.support.paths import ROOT


def _api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, inside included routers too (FastAPI keeps an included router whole)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (router := getattr(route, "original_router", None)) is not None:
            yield from _api_routes(router.routes)


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    """A route's dependant and every dependency under it."""
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _mentions_services(hint: Any) -> bool:
    """Whether a type hint is, or holds (Annotated, unions, generics), the Services container."""
    return hint is Services or any(_mentions_services(arg) for arg in typing.get_args(hint))


def _takes_services(call: Callable[..., Any]) -> list[str]:
    hints = typing.get_type_hints(call, include_extras=True)
    return [name for name, hint in hints.items() if _mentions_services(hint)]


def test_no_route_or_dependency_takes_or_returns_the_container(make: Callable[..., Services]) -> None:
    app = create_app(services=make(public_url="https://bs.example", admin_token="a" * 40))
    routes = list(_api_routes(app.routes))
    assert {"/webhooks/trello", "/status", "/admin/pairs/{pair}/sync"} <= {r.path for r in routes}
    wide = {
        f"{route.path} {getattr(d.call, '__qualname__', d.call)}": names
        for route in routes
        for d in _dependants(route.dependant)
        if d.call is not None and (names := _takes_services(d.call))
    }
    assert not wide, f"give the route a narrow dependency from app/web/deps.py instead: {wide}"


def test_only_deps_reads_the_container_off_the_app() -> None:
    readers = []
    for path in sorted((ROOT / "app" / "web").rglob("*.py")):
        if path.name == "deps.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "services" and "state" in ast.unparse(node):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not readers, readers


def test_the_check_sees_a_route_taking_the_container() -> None:
    def wide(services: Services, pair: str) -> None: ...

    assert _takes_services(wide) == ["services"]
