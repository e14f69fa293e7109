"""policy_of: a configured pair becomes the planner's Policy."""

from __future__ import annotations

from app.config.models import parse_config
from app.config.policy import policy_of
from app.core.model import Column, Percent

TEXT = """\
pairs:
  - name: social
    trello: {board: AbCdEfGh, lists: [Review], labels: [Instagram], archived: keep}
    sheet: {spreadsheet: s1, tab: Calendar, key_header: Key}
    timezone: Europe/Paris
    sort_by: [-Date]
    max_deletes: 10%
    columns:
      - {header: Date, field: due}
      - {header: Channel, field: "custom:Channel"}
"""


def test_policy_carries_every_setting() -> None:
    policy = policy_of(parse_config(TEXT, "c.yaml", {}).pairs[0], allow_mass_delete=True)
    assert policy.columns == (Column("Date", "due"), Column("Channel", "custom:Channel"))
    assert (policy.key_header, policy.timezone, policy.archived) == ("Key", "Europe/Paris", "keep")
    assert (policy.lists, policy.labels, policy.sort_by) == (("Review",), ("Instagram",), ("-Date",))
    assert policy.max_deletes == Percent(10.0)
    assert policy.allow_mass_delete


def test_defaults_and_row_counts() -> None:
    text = TEXT.replace("max_deletes: 10%", "max_deletes: 7").replace("    sort_by: [-Date]\n", "")
    text = text.replace(", lists: [Review], labels: [Instagram]", "")
    policy = policy_of(parse_config(text, "c.yaml", {}).pairs[0])
    assert (policy.max_deletes, policy.sort_by, policy.lists, policy.labels) == (7, (), None, None)
    assert not policy.allow_mass_delete
