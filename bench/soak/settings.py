"""How long and how hard a soak runs: the full `make soak` and the short one `make test` runs."""

from __future__ import annotations

from dataclasses import dataclass

TEAM = (
    ("token-alice", "alice", "Alice Martin"),
    ("token-bob", "bob", "Bob Durand"),
    ("token-carol", "carol", "Carol Nguyen"),
    ("token-dave", "dave", "Dave Okafor"),
)
STAKEHOLDERS = ("dana@example.com", "erin@example.com")
NOTE_TAKER = "fran@example.com"


@dataclass(frozen=True)
class SoakSettings:
    """One soak's sizes; seconds are wall-clock, rates are shares of requests (0 to 1)."""

    burst: float = 150.0  # seconds the team and the stakeholders edit
    team: int = 4  # teammates, each with their own Trello token (at most len(TEAM))
    team_interval: float = 1.0  # seconds between two edits of each teammate (they edit at the same time)
    stakeholder_interval: float = 2.0  # seconds between two edits of each two-way stakeholder
    note_interval: float = 1.5  # seconds between two free-column edits
    idea_interval: float = 6.0  # seconds between two ideas typed into the Ideas tab
    error_rate: float = 0.2  # 503s on both APIs during the burst
    rate_limit_rate: float = 0.1  # 429s on both APIs during the burst
    kill_at: float = 0.4  # share of the burst after which the lease holder is killed
    restart_after: float = 5.0  # seconds between the kill and the restart
    converge_within: float = 240.0  # the generous bound on convergence (the only time check)
    extra_topics: int = 30  # cards seeded beyond the demo's

    @property
    def name(self) -> str:
        """What the table calls this soak."""
        return f"{self.burst:g} s burst, {self.team} teammates"


FULL = SoakSettings()
SHORT = SoakSettings(
    burst=25.0,
    team=2,
    team_interval=1.2,
    stakeholder_interval=3.0,
    note_interval=2.5,
    idea_interval=5.0,
    error_rate=0.1,
    rate_limit_rate=0.05,
    kill_at=0.4,
    restart_after=3.0,
    converge_within=240.0,
    extra_topics=0,
)
