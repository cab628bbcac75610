"""What the class page shows, gathered from each module's own logic (the same functions the
API's GET endpoints answer with): the page adds no rule of its own."""

from decimal import Decimal
from typing import Any

from backend.auth.models import Role, User
from backend.checkin.attendance import class_attendance, corrections_of
from backend.classes import logic
from backend.classes.models import ClassStatus, TrainingClass
from backend.core.timeutil import today_in_china
from backend.enrollment.logic import roster_view
from backend.exports import budget, deadlines, report
from backend.exports.models import BudgetItemKind
from backend.reminders.logic import KIND_LABELS, class_reminders, off_notice, target_label
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
CELL_LABELS = {
    "present": "出勤",
    "late": "迟到",
    "online": "线上",
    "excused": "请假",
    "absent": "缺勤",
}


#: Trainees per page of the roster and the attendance grid.
PAGE_SIZE = 50


def roster_page(roster: list[dict], query: str, page: int) -> dict[str, Any]:
    """One page of the roster, filtered by a name or phone fragment."""
    if query:
        roster = [t for t in roster if query in t["name"] or query in t["phone"]]
    pages = max(1, -(-len(roster) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    first = (page - 1) * PAGE_SIZE
    return {
        "rows": roster[first : first + PAGE_SIZE],
        "total": len(roster),
        "first": first + 1,
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
    full_roster = roster_view(class_id, full_phones=is_organizer)
    shown = roster_page(full_roster, query, page)
    return {
        "c": training_class,
        "is_organizer": is_organizer,
        "is_admin": user.role == Role.ADMIN,
        "warnings": logic.warnings_of(training_class),
        "returned": logic.last_return(training_class),
        "history": logic.plan_history(class_id),
        "changes": logic.changes_of(class_id),
        "sessions": logic.sessions_of(class_id),
        "lecturers": _lecturer_choices(),
        "roster": shown["rows"],
        "roster_total": len(full_roster),
        "roster_pager": shown,
        "page_size": PAGE_SIZE,
        "attendance": class_attendance(class_id, {t["enrollment_id"] for t in shown["rows"]}),
        "corrections": corrections_of(class_id),
        "cell_labels": CELL_LABELS,
        "survey": survey_state(training_class),
        "survey_stats": survey,
        "pending": pending(class_id, full_phones=is_organizer),
        "downloads": [(name, f"/api/v1/classes/{class_id}/{path}") for name, path in DOWNLOADS],
        "budget": budget_values(training_class),
        "item_labels": [(k.value, budget.ITEM_LABELS[k]) for k in BudgetItemKind],
        "report": report_values(training_class),
        "submission": deadlines.deadline_state(training_class, today_in_china()),
        "editable": training_class.status != ClassStatus.CLOSED,
        "today": today_in_china().isoformat(),
        "field_label": field_label,
        "unbind_url": None,
        **reminder_values(class_id, logic.sessions_of(class_id)),
    }


def reminder_values(class_id: int, sessions: list) -> dict[str, Any]:
    """提醒: what was sent, skipped for lack of credit and failed, and whether it is off."""
    topics = {s.id: s.topic for s in sessions}
    rows = [
        {
            **row,
            "kind_label": KIND_LABELS[row["kind"]],
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


def report_values(training_class: TrainingClass) -> dict[str, Any]:
    """附件4: the organizer's sections, the pictures, and 一 and 五 as the export fills them."""
    data = report.gather(training_class)
    return {
        "headings": report.HEADINGS,
        "sections": data.sections,
        "basics": data.basics,
        "lectures_summary": data.lectures_summary,
        "lectures": data.lectures,
        "pictures": report.pictures_of(training_class.id),
    }
