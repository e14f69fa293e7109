"""The run lease around `Syncer.run`: one run per pair at a time across every process sharing the store.

Inside one process the pair's coordinator is single-flight; replicas sharing PostgreSQL, and a
`boardsheet sync` beside the service, are not. Two overlapping runs would plan from the same read and both
write (a card appended twice, a row deleted twice), so a run holds the pair's lease in the store from
before its reads until after its run is saved.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from app.errors import PairBusy, StoreError
from app.store.store import Store

__all__ = ["LEASE_TTL", "holder_id", "pair_lease"]

log = logging.getLogger(__name__)

# Longer than any run can take (connector retries are bounded in time); a crashed holder blocks its pair
# for this long at most.
LEASE_TTL = timedelta(minutes=10)


def holder_id() -> str:
    """A lease holder's name, unique per run: host, process and a fresh random id."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"


@contextmanager
def pair_lease(store: Store, pair: str, ttl: timedelta = LEASE_TTL) -> Iterator[str]:
    """Hold the pair's lease for the block; PairBusy, before anything is done, if another holder has it."""
    holder = holder_id()
    if not store.acquire_lease(pair, holder, ttl):
        raise PairBusy(pair)
    try:
        yield holder
    finally:
        try:
            store.release_lease(pair, holder)
        except StoreError as exc:
            # The run's own outcome (or error) matters more; an unreleased lease lapses after the TTL.
            log.warning("pair %s: could not release the run lease: %s", pair, exc, extra={"pair": pair})
