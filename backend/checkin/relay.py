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


def burst_candidates(counts: Iterable[tuple[int, str, int]]) -> set[tuple[int, str]]:
    """The (session, address) pairs whose check-ins may hold a burst, from the count of each
    pair: at least BURST_MIN check-ins, under ROOM_SHARE of the session's, in a session with
    two addresses or more (everyone from one address: a venue behind one NAT)."""
    by_session: dict[int, dict[str, int]] = defaultdict(dict)
    for session_id, client_addr, count in counts:
        by_session[session_id][client_addr] = count
    pairs: set[tuple[int, str]] = set()
    for session_id, addresses in by_session.items():
        total = sum(addresses.values())
        if len(addresses) < 2:
            continue
        pairs |= {
            (session_id, addr)
            for addr, count in addresses.items()
            if count >= BURST_MIN and count / total < ROOM_SHARE
        }
    return pairs


def relay_flags(
    arrivals: Iterable[Arrival], candidates: set[tuple[int, str]]
) -> dict[Key, list[str]]:
    """The flags of each flagged check-in. `arrivals`: at least every check-in of the burst
    `candidates` and every check-in of each trainee seen from two addresses (the database
    narrows them, so a big class reads few rows); check-ins without an address are never
    flagged."""
    known = [a for a in arrivals if a.client_addr]
    flags: dict[Key, list[str]] = defaultdict(list)
    for key in _bursts(known, candidates):
        flags[key].append("burst")
    for key in _two_addresses(known):
        flags[key].append("two_addresses")
    return dict(flags)


def _bursts(arrivals: list[Arrival], candidates: set[tuple[int, str]]) -> set[Key]:
    groups: dict[tuple[int, str], list[Arrival]] = defaultdict(list)
    for arrival in arrivals:
        pair = (arrival.session_id, arrival.client_addr)
        if pair in candidates:
            groups[pair].append(arrival)
    flagged: set[Key] = set()
    for same in groups.values():
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
