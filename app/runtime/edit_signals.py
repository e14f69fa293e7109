"""The composition of "noticing sheet edits": Drive channels, Drive push intake, instant hints, attribution.

Built by `app.runtime.wiring.build_services`; kept apart so wiring stays small. The Drive connector is
optional: without it (tests, or no Google credentials at hand) there are no channels and attribution
knows only what hints tell.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from app.config.models import Config
from app.config.settings import Settings
from app.runtime.attribution import Attribution, LastEditApi
from app.runtime.coordinators import CoordinatorGroup
from app.runtime.drive_channels import ChannelApi, ChannelKeeper, drive_address
from app.runtime.drive_push import DriveNotifications
from app.runtime.sharing_types import SharingApi
from app.runtime.sheet_hints import SheetHints, hint_base_secret
from app.runtime.syncer_wiring import build_attribution, build_drive
from app.runtime.tracker import RunTracker
from app.store.store import Store

__all__ = ["DriveApi", "EditSignalServices", "build_attribution", "build_drive", "build_edit_signals"]


class DriveApi(ChannelApi, LastEditApi, SharingApi, Protocol):
    """What the shell calls on Drive (DriveConnector fits)."""


@dataclass
class EditSignalServices:
    """The objects behind POST /webhooks/drive and /webhooks/sheets, and the channel loop."""

    push: DriveNotifications
    hints: SheetHints
    attribution: Attribution
    channels: ChannelKeeper | None  # None without BOARDSHEET_PUBLIC_URL or without Drive


def build_edit_signals(
    settings: Settings,
    config: Config,
    store: Store,
    coordinators: CoordinatorGroup,
    tracker: RunTracker,
    *,
    drive: DriveApi | None,
    attribution: Attribution,
    every: float,
    clock: Callable[[], float] = time.time,
) -> EditSignalServices:
    """Everything that turns a sheet edit into a run, and names who made it."""

    def pairs_of(spreadsheet: str) -> list[str]:
        return [pair.name for pair in config.pairs if pair.sheet.spreadsheet == spreadsheet]

    public = settings.public_url
    channels = (
        ChannelKeeper(
            drive,
            store,
            [pair.sheet.spreadsheet for pair in config.pairs],
            drive_address(public),
            clock=clock,
            every=every,
        )
        if public and drive is not None
        else None
    )
    return EditSignalServices(
        push=DriveNotifications(store, pairs_of, coordinators, tracker, stopper=drive),
        hints=SheetHints(config, hint_base_secret(settings), store, coordinators, tracker, clock),
        attribution=attribution,
        channels=channels,
    )
