"""附件3 statistics, the lecturers' own ratings and the province's ranking.

Counts always come from SQL aggregates (see queries.py); Python only arranges the few
dozen numbers they return and turns them into percentages.
"""

from collections.abc import Iterable

from backend.checkin.queries import attendee_counts
from backend.classes.logic import sessions_of, sessions_taught_by
from backend.classes.models import Session, TrainingClass
from backend.enrollment.queries import enrolled_count, enrolled_counts
from backend.extensions import db
from backend.surveys.form import FIXED_ITEMS, LEVELS, SECTION_TITLES, FixedItem
from backend.surveys.models import Item, Level
from backend.surveys.queries import (
    Counts,
    class_counts,
    issued_count,
    issued_counts,
    item_counts,
    no_counts,
    returned_counts,
    session_counts,
    shared_suggestions,
    suggestions_of,
)
from backend.surveys.release import release_of, releases_of

#: 100.0 % in tenths of a percent.
WHOLE = 1000
#: Printed under every table of rates: each rate is rounded on its own.
ROUNDING_NOTE = "因四舍五入，各项比率之和可能不等于100%。"
#: A lecturer sees a session's counts only from this many answers on, so that a single
#: trainee's rating cannot be told apart.
SHOW_FROM_ANSWERS = 3


def tenths_of(part: int, whole: int) -> int:
    """part / whole in tenths of a percent, rounded half up, in integers; 0 when whole is 0.

    1000 * part / whole rounded half up is floor((2000 * part + whole) / (2 * whole)).
    """
    if whole == 0:
        return 0
    return (2 * WHOLE * part + whole) // (2 * whole)


def rate_tenths(counts: Counts) -> dict[Level, int]:
    """Each level's share in tenths of a percent, each rounded on its own (half up).

    Equal counts always give equal rates and every rate can be checked with a calculator;
    a row may then add up to 998–1002 (附件3 says so in a note). With no answers all are 0.
    """
    total = sum(counts.values())
    return {level: tenths_of(counts[level], total) for level in LEVELS}


def rates(counts: Counts) -> dict[str, float]:
    """Percentages with one decimal, e.g. 20/10/5/1 of 36 → 55.6/27.8/13.9/2.8."""
    return {level.value: tenths / 10 for level, tenths in rate_tenths(counts).items()}


def headline_rates(counts: Counts) -> dict[str, float]:
    """优秀率 and 满意率 (excellent + good), each a rate of its own, rounded half up."""
    total = sum(counts.values())
    return {
        "excellent_rate": tenths_of(counts[Level.EXCELLENT], total) / 10,
        "satisfied_rate": tenths_of(counts[Level.EXCELLENT] + counts[Level.GOOD], total) / 10,
    }


def _figures(counts: Counts) -> dict:
    return {"counts": {level.value: n for level, n in counts.items()}, "rates": rates(counts)}


def _session_row(session: Session, counts: Counts) -> dict:
    return {
        "section": "faculty",
        "section_label": SECTION_TITLES["faculty"],
        "key": f"session:{session.id}",
        "label": session.topic,
        "session_id": session.id,
        "topic": session.topic,
        "lecturer": session.lecturer.name,
        **_figures(counts),
    }


def _fixed_row(item: FixedItem, counts: Counts) -> dict:
    return {
        "section": item.section,
        "section_label": SECTION_TITLES[item.section],
        "key": item.key,
        "label": item.label,
        **_figures(counts),
    }


def class_stats(class_id: int) -> dict:
    """The body of GET /classes/{id}/survey/stats (附件3), rows in the form's order."""
    release = release_of(db.session.get(TrainingClass, class_id))
    counts = class_counts(class_id)
    rows = [_session_row(s, counts[Item.LECTURE, s.id]) for s in sessions_of(class_id)]
    rows += [_fixed_row(item, counts[item.item, None]) for item in FIXED_ITEMS]
    suggestions = suggestions_of(class_id)
    return {
        "class_id": class_id,
        "enrolled": enrolled_count(class_id),
        "issued": issued_count(class_id),
        "returned": release.shown,
        "received": release.received,
        "rows": rows,
        "suggestions": [s.text for s in suggestions],
        "suggestion_items": [{"id": s.id, "text": s.text, "shared": s.shared} for s in suggestions],
    }


def overview_figures(classes: list[TrainingClass]) -> dict[int, dict]:
    """class_stats' enrolled, issued and returned, the trainees who attended (checked in at
    least once: 参训, whether or not the form was issued yet), and the satisfaction item's
    counts per level, of each class, in a few queries for all of them (the year's overview)."""
    ids = [c.id for c in classes]
    enrolled = enrolled_counts(ids)
    attended = attendee_counts(ids)
    issued = issued_counts(ids)
    releases = releases_of(classes)
    satisfaction = item_counts(ids, Item.SATISFACTION)
    return {
        c.id: {
            "enrolled": enrolled[c.id],
            "attended": attended[c.id],
            "issued": issued[c.id],
            "returned": releases[c.id].shown,
            "satisfaction": _figures(satisfaction[c.id]),
        }
        for c in classes
    }


def lecturer_rates(class_id: int) -> list[dict]:
    """Per session of the class, in schedule order: who taught it and how it was rated.

    Each: session_id, topic, lecturer (the name), returned (answers for the session),
    counts, rates, excellent_rate (优秀率) and satisfied_rate (满意率, excellent + good).
    """
    counts = class_counts(class_id)
    rated = [(s, counts[Item.LECTURE, s.id]) for s in sessions_of(class_id)]
    return [
        {
            "session_id": s.id,
            "topic": s.topic,
            "lecturer": s.lecturer.name,
            "returned": sum(of_session.values()),
            **_figures(of_session),
            **headline_rates(of_session),
        }
        for s, of_session in rated
    ]


def _visible(counts: Counts) -> bool:
    return sum(counts.values()) >= SHOW_FROM_ANSWERS


def my_ratings(lecturer_id: int) -> list[dict]:
    """The lecturer's own sessions of every class; counts only where 3 or more answered."""
    sessions = sessions_taught_by(lecturer_id)
    counts = session_counts(s.id for s in sessions)
    rows = []
    for s in sessions:
        row = {
            "class_id": s.class_id,
            "class_title": db.session.get(TrainingClass, s.class_id).title,
            "session_id": s.id,
            "topic": s.topic,
            "starts_at": s.starts_at,
            "returned": sum(counts[s.id].values()),
            "hidden": not _visible(counts[s.id]),
        }
        if not row["hidden"]:
            row.update(_figures(counts[s.id]))
        rows.append(row)
    return rows


def _total(counts: Iterable[Counts]) -> Counts:
    total = no_counts()
    for one in counts:
        for level, n in one.items():
            total[level] += n
    return total


def my_summary(lecturer_id: int) -> dict:
    """优秀率 and 满意率 over the lecturer's visible sessions, and suggestions shared with them.

    Hidden sessions are left out of the totals too: otherwise the total minus the
    visible rows would give away the hidden row's answers.
    """
    sessions = sessions_taught_by(lecturer_id)
    per_session = session_counts(s.id for s in sessions)
    visible = [per_session[s.id] for s in sessions if _visible(per_session[s.id])]
    total = _total(visible)
    class_ids = sorted({s.class_id for s in sessions})
    return {
        "sessions": len(visible),
        "returned": sum(total.values()),
        "counts": {level.value: n for level, n in total.items()},
        **headline_rates(total),
        "suggestions": [
            {
                "class_id": s.class_id,
                "class_title": db.session.get(TrainingClass, s.class_id).title,
                "text": s.text,
            }
            for s in shared_suggestions(class_ids)
        ],
    }


def _ranked(entries: list[dict], count_key: str) -> list[dict]:
    """Best 优秀率 first, then 满意率; equal rates share a rank; unrated entries last, no rank."""
    rated = sorted(
        (e for e in entries if e[count_key]),
        key=lambda e: (-e["excellent_rate"], -e["satisfied_rate"], -e[count_key]),
    )
    for i, entry in enumerate(rated):
        tied = i and (entry["excellent_rate"], entry["satisfied_rate"]) == (
            rated[i - 1]["excellent_rate"],
            rated[i - 1]["satisfied_rate"],
        )
        entry["rank"] = rated[i - 1]["rank"] if tied else i + 1
    return rated + [{**e, "rank": None} for e in entries if not e[count_key]]


def year_ratings(year: int, classes: list[TrainingClass]) -> dict:
    """The province's view: classes ranked by their 学员满意度评价, lecturers by their sessions."""
    class_ids = [c.id for c in classes]
    satisfaction = item_counts(class_ids, Item.SATISFACTION)
    returned = returned_counts(class_ids)
    class_rows = [
        {
            "class_id": c.id,
            "title": c.title,
            "host_unit": c.project.host_unit.name,
            "returned": returned.get(c.id, 0),
            **headline_rates(satisfaction[c.id]),
        }
        for c in classes
    ]
    sessions = [s for c in classes for s in sessions_of(c.id)]
    per_session = session_counts(s.id for s in sessions)
    by_lecturer: dict[int, list[Session]] = {}
    for s in sessions:
        by_lecturer.setdefault(s.lecturer_id, []).append(s)
    lecturer_rows = []
    for taught in by_lecturer.values():
        total = _total(per_session[s.id] for s in taught)
        lecturer_rows.append(
            {
                "lecturer_id": taught[0].lecturer_id,
                "name": taught[0].lecturer.name,
                "sessions": len(taught),
                "answers": sum(total.values()),
                **headline_rates(total),
            }
        )
    return {
        "year": year,
        "classes": _ranked(class_rows, "returned"),
        "lecturers": _ranked(lecturer_rows, "answers"),
    }
