"""Check-ins that look relayed: a code forwarded to someone who is not in the room.

Two patterns are flagged, from the client address recorded with each check-in:

- `burst`: one address checks in at least BURST_MIN trainees within BURST_SECONDS while the
  session's other check-ins come from other addresses (one phone, or one hotspot outside,
  checking in for several); a venue where everyone shares one address is not flagged, because
  that address then carries most of the session.
- `two_addresses`: one trainee's check-ins of one day come from more than one address.

A flag is a reason to ask, not proof: see SECURITY.md for what it does and does not show.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from backend.core.timeutil import china_date

BURST_MIN = 3
BURST_SECONDS = 30
#: An address carrying at least this share of a session's check-ins is the room's own.
ROOM_SHARE = 0.5


class Arrival(Protocol):
    """One check-in as the flags see it (e.g. a database row of these columns)."""

    enrollment_id: int
    session_id: int
    client_addr: str | None
    at: datetime


Key = tuple[int, int]  # (enrollment_id, session_id)


def relay_flags(arrivals: Iterable[Arrival]) -> dict[Key, list[str]]:
    """The flags of each flagged check-in; check-ins without an address are never flagged."""
    known = [a for a in arrivals if a.client_addr]
    flags: dict[Key, list[str]] = defaultdict(list)
    for key in _bursts(known):
        flags[key].append("burst")
    for key in _two_addresses(known):
        flags[key].append("two_addresses")
    return dict(flags)


def _bursts(arrivals: list[Arrival]) -> set[Key]:
    by_session: dict[int, list[Arrival]] = defaultdict(list)
    for arrival in arrivals:
        by_session[arrival.session_id].append(arrival)
    flagged: set[Key] = set()
    for session_arrivals in by_session.values():
        by_addr: dict[str, list[Arrival]] = defaultdict(list)
        for arrival in session_arrivals:
            by_addr[arrival.client_addr].append(arrival)
        if len(by_addr) < 2:
            continue  # everyone from one address: a venue behind one NAT
        for same in by_addr.values():
            if len(same) / len(session_arrivals) >= ROOM_SHARE:
                continue
            flagged |= _in_windows(sorted(same, key=lambda a: a.at))
    return flagged


def _in_windows(arrivals: list[Arrival]) -> set[Key]:
    """The arrivals in any window of BURST_SECONDS holding at least BURST_MIN of them."""
    flagged: set[Key] = set()
    start = 0
    for end, arrival in enumerate(arrivals):
        while (arrival.at - arrivals[start].at).total_seconds() > BURST_SECONDS:
            start += 1
        if end - start + 1 >= BURST_MIN:
            flagged |= {(a.enrollment_id, a.session_id) for a in arrivals[start : end + 1]}
    return flagged


def _two_addresses(arrivals: list[Arrival]) -> set[Key]:
    by_trainee: dict[int, list[Arrival]] = defaultdict(list)
    for arrival in arrivals:
        by_trainee[arrival.enrollment_id].append(arrival)
    flagged: set[Key] = set()
    for own in by_trainee.values():
        if len({a.client_addr for a in own}) < 2:
            continue  # one address for all of them: no day can have two
        by_day: dict[date, list[Arrival]] = defaultdict(list)
        for arrival in own:
            by_day[china_date(arrival.at)].append(arrival)
        flagged |= {
            (a.enrollment_id, a.session_id)
            for day in by_day.values()
            if len({a.client_addr for a in day}) > 1
            for a in day
        }
    return flagged
