"""What the class page shows, gathered from each module's own logic (the same functions the
API's GET endpoints answer with): the page adds no rule of its own."""

from decimal import Decimal
from typing import Any

from flask import url_for

from backend.auth.models import Role, User
from backend.checkin.attendance import class_attendance, class_flags, corrections_of
from backend.checkin.models import AttendanceState
from backend.checkin.pages import MARKS as CORRECTION_MARKS
from backend.checkin.queries import excused_without_checkin
from backend.checkin.relay import BURST_MIN, BURST_SECONDS
from backend.classes import logic
from backend.classes.models import HOURS_RULE, ClassStatus, TrainingClass
from backend.core.timeutil import today_in_china, utcnow
from backend.enrollment.logic import roster_view
from backend.enrollment.queries import mask_phone, roster_contacts
from backend.exports import budget, deadlines, report
from backend.exports.models import BudgetItemKind
from backend.leave.logic import checkin_requests_of_class, leave_requests_of_class
from backend.leave.queries import pending_counts
from backend.recruitment.pages import section_context as recruitment_section
from backend.reminders.logic import class_reminders, off_notice, target_label
from backend.reminders.models import Kind
from backend.surveys.logic import pending
from backend.surveys.queries import survey_state
from backend.surveys.stats import class_stats

#: 材料下载: (link name, API path under /api/v1/classes/<id>/).
DOWNLOADS = [
    ("附件2 学员满意度测评表（空白，可打印）", "exports/survey-form.xlsx"),
    ("附件3 学员满意度测评统计表", "exports/tally.xlsx"),
    ("附件4 项目总结报告", "exports/report.docx"),
    ("附件5 研修人员名单（Excel）", "exports/roster.xlsx"),
    ("附件5 研修人员名单（CSV）", "exports/roster.csv"),
    ("附件6 经费决算表", "exports/budget.xlsx"),
    ("图文动态信息", "exports/news.docx"),
    ("学时登记表", "exports/credits.xlsx"),
    ("全部上报材料（附件3–6 与图文动态信息，zip）", "exports/submission.zip"),
]
#: The grid's own word for "absent" in a session that has not started yet.
UPCOMING = ("upcoming", "未开始")
#: Relay flags (checkin/relay.py): the mark shown in the cell and what it means.
FLAG_LABELS = {
    "burst": (
        "疑",
        f"疑似代签：同一网络地址在 {BURST_SECONDS} 秒内为至少 {BURST_MIN} 名学员签到，"
        "且不是会场的主要网络",
    ),
    "two_addresses": ("多", "多处签到：该学员同一天的签到来自不同网络地址"),
}


def cell_label(state: str) -> str:
    """A grid cell's state in words: the attendance state's label, or 未开始."""
    return UPCOMING[1] if state == UPCOMING[0] else AttendanceState(state).label


def flag_label(flag: str) -> tuple[str, str]:
    """A relay flag's (mark, explanation); an unknown flag is shown by its name."""
    return FLAG_LABELS.get(flag, (flag, flag))


#: Trainees per page of the roster and the attendance grid.
PAGE_SIZE = 50


def roster_page(contacts: list, query: str, page: int, full_phones: bool) -> dict[str, Any]:
    """One page of the roster (roster_contacts rows), filtered by a fragment of the name or
    of the phone as shown: the page's entry ids and where it is."""
    if query:
        contacts = [
            c
            for c in contacts
            if query in c.name or query in (c.phone if full_phones else mask_phone(c.phone))
        ]
    pages = max(1, -(-len(contacts) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    first = (page - 1) * PAGE_SIZE
    shown = contacts[first : first + PAGE_SIZE]
    return {
        "ids": {c.id for c in shown},
        "total": len(contacts),
        "first": first + 1,
        "last": first + len(shown),
        "page": page,
        "pages": pages,
        "q": query,
    }


def class_page_context(
    training_class: TrainingClass, user: User, query: str = "", page: int = 1
) -> dict[str, Any]:
    class_id = training_class.id
    is_organizer = user.role == Role.ORGANIZER
    survey = class_stats(class_id)
    contacts = roster_contacts(class_id)
    shown = roster_page(contacts, query, page, full_phones=is_organizer)
    flags, excused = class_flags(class_id, shown["ids"]), excused_without_checkin(class_id)
    sessions = logic.sessions_of(class_id)
    return {
        "c": training_class,
        "is_organizer": is_organizer,
        "is_admin": user.role == Role.ADMIN,
        "warnings": logic.warnings_of(training_class),
        "returned": logic.last_return(training_class),
        "history": logic.plan_history(class_id),
        "changes": logic.changes_of(class_id),
        "sessions": sessions,
        "lecturers": _lecturer_choices(),
        "hours_hint": HOURS_RULE,
        "roster": roster_view(
            class_id, full_phones=is_organizer, flags=flags, excused=excused, only=shown["ids"]
        ),
        "roster_total": len(contacts),
        "roster_pager": shown,
        "page_size": PAGE_SIZE,
        "attendance": class_attendance(class_id, shown["ids"], flags=flags, excused=excused),
        "corrections": corrections_of(class_id),
        "correction_marks": [(mark, AttendanceState(mark).label) for mark in CORRECTION_MARKS],
        "cell_label": cell_label,
        "flag_label": flag_label,
        "cell_legend": [*((s.value, s.label) for s in AttendanceState), UPCOMING],
        "flag_legend": list(FLAG_LABELS.values()),
        "leave_requests": leave_requests_of_class(class_id),
        "checkin_requests": checkin_requests_of_class(class_id),
        "pending_requests": pending_counts(class_id),
        "session_labels": {s.id: s for s in sessions},
        "survey": survey_state(training_class),
        "survey_stats": survey,
        "pending": pending(class_id, full_phones=is_organizer),
        "downloads": [(name, f"/api/v1/classes/{class_id}/{path}") for name, path in DOWNLOADS],
        "budget": budget_values(training_class),
        "item_labels": [(k.value, k.label) for k in BudgetItemKind],
        "report": report_values(training_class, survey),
        "submission": deadlines.deadline_state(training_class, today_in_china()),
        "editable": training_class.status != ClassStatus.CLOSED,
        "today": today_in_china().isoformat(),
        "now": utcnow(),
        "field_label": field_label,
        "unbind_url": lambda enrollment_id: url_for(
            "enrollment_pages.unbind", class_id=class_id, enrollment_id=enrollment_id
        ),
        "rec": recruitment_section(training_class, user),
        **reminder_values(class_id, sessions),
    }


def reminder_values(class_id: int, sessions: list) -> dict[str, Any]:
    """提醒: what was sent, skipped for lack of credit and failed, and whether it is off."""
    topics = {s.id: s.topic for s in sessions}
    rows = [
        {
            **row,
            "kind_label": Kind(row["kind"]).label,
            "label": target_label(row["target"], topics),
        }
        for row in class_reminders(class_id)
    ]
    return {"reminders": rows, "reminders_off": off_notice()}


#: 情况说明's field names in words.
FIELD_LABELS = {
    "location": "地点",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "capacity": "计划人数",
    "mode": "办班方式",
    "session": "课程",
    "topic": "课程主题",
    "lecturer_id": "授课人",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "venue": "上课地点",
}


def field_label(name: str) -> str:
    """ "session:12.starts_at" → "课程 开始时间"."""
    if name.startswith("session:"):
        return f"课程{FIELD_LABELS.get(name.partition('.')[2], '')}"
    return FIELD_LABELS.get(name, name)


def _lecturer_choices() -> list[tuple[int, str]]:
    from backend.classes.pages import lecturer_choices

    return lecturer_choices()


def budget_values(training_class: TrainingClass) -> dict[str, Any]:
    """The stored 附件6 (or a blank one) as the form shows it, and the subsidy rule."""
    stored = budget.budget_of(training_class.id)
    view = budget.budget_view(stored) if stored else None
    zero = Decimal("0.00")
    items = {
        kind.value: view["items"][kind.value] if view else {"amount": zero, "note": ""}
        for kind in BudgetItemKind
    }
    return {
        "items": items,
        "staff_count": view["staff_count"] if view else 0,
        "subsidy": view["subsidy"] if view else zero,
        "handler": view["handler"] if view else "",
        "total": view["total"] if view else zero,
        "funding": training_class.project.funding.value,
        "cap": training_class.project.plan.subsidy_cap,
    }


def report_values(training_class: TrainingClass, stats: dict) -> dict[str, Any]:
    """附件4: the organizer's sections, the pictures, and 一 and 五 as the export fills them."""
    data = report.gather(training_class, stats)
    return {
        "headings": report.HEADINGS,
        "sections": data.sections,
        "basics": data.basics,
        "lectures_summary": data.lectures_summary,
        "lectures": data.lectures,
        "pictures": report.pictures_of(training_class.id),
    }
