"""Deadlines of the notice (docs/DOMAIN.md rules 1, 3, 7, 8) and the flags a class earns against
them. Flags are computed from dates against a given "today", so they are right on any day.

- rule 1: a class ending after the plan's deadline gets no subsidy;
- rule 3: the opening plan is approved before the class opens;
- rule 7: report, tally, roster and budget are sent within the plan's report window
  (2023: 15 days) of the end;
- rule 8: the expense papers are sent within the plan's expense window (2023: 1 month, 30 days).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backend.auth.models import User
from backend.classes.logic import first_session_starts, sessions_of
from backend.classes.models import TrainingClass
from backend.core.errors import validation_failed
from backend.core.timeutil import CHINA, china_date, today_in_china, utcnow
from backend.exports.facts import cn_date
from backend.exports.models import Submission
from backend.extensions import db

PAPERWORK, EXPENSES = "paperwork", "expenses"
WHAT = {PAPERWORK: "总结报告等材料", EXPENSES: "经费报销材料"}


@dataclass(frozen=True)
class Flag:
    """A broken rule: a machine code and a Chinese sentence."""

    code: str
    message: str


def paperwork_due(end: date, report_days: int) -> date:
    """The last day to send the paperwork: the plan's report window after the end."""
    return end + timedelta(days=report_days)


def expenses_due(end: date, expense_days: int) -> date:
    """The last day to send the expense papers: the plan's expense window after the end."""
    return end + timedelta(days=expense_days)


def opens_at(start_date: date, first_session_start: datetime | None) -> datetime:
    """When the class opens: its first session, else the first day's midnight in China."""
    if first_session_start is not None:
        return first_session_start
    return datetime.combine(start_date, datetime.min.time(), CHINA)


def _sending_flag(kind: str, due: date, sent_on: date | None, today: date) -> Flag | None:
    if sent_on is None:
        if today > due:
            return Flag(f"{kind}_overdue", f"{WHAT[kind]}应于{cn_date(due)}前报送，至今未报送")
        return None
    if sent_on > due:
        return Flag(f"{kind}_late", f"{WHAT[kind]}于{cn_date(sent_on)}报送，晚于期限{cn_date(due)}")
    return None


def _approval_flag(
    start_date: date, opening: datetime, approved_at: datetime | None, today: date
) -> Flag | None:
    if approved_at is None:
        if today >= start_date:
            return Flag("not_approved_before_start", "已到开班日期，开班实施方案尚未审核通过")
        return None
    if approved_at >= opening:
        return Flag(
            "not_approved_before_start",
            f"开班实施方案于{cn_date(china_date(approved_at))}审核通过，晚于开班时间",
        )
    return None


def flags_for(
    *,
    start_date: date,
    end_date: date,
    deadline: date,
    report_days: int,
    expense_days: int,
    opening: datetime,
    approved_at: datetime | None,
    paperwork_sent_on: date | None,
    expenses_sent_on: date | None,
    today: date,
) -> list[Flag]:
    """Every rule the class breaks as of `today`, in the order of the notice."""
    flags = []
    if end_date > deadline:
        flags.append(
            Flag(
                "after_deadline",
                f"结束日期{cn_date(end_date)}晚于计划完成期限{cn_date(deadline)}，按规定不予资助",
            )
        )
    candidates = [
        _approval_flag(start_date, opening, approved_at, today),
        _sending_flag(PAPERWORK, paperwork_due(end_date, report_days), paperwork_sent_on, today),
        _sending_flag(EXPENSES, expenses_due(end_date, expense_days), expenses_sent_on, today),
    ]
    return flags + [flag for flag in candidates if flag is not None]


def submission_of(class_id: int) -> Submission | None:
    return db.session.get(Submission, class_id)


def mark_sent(training_class: TrainingClass, kind: str, on: date | None, by: User) -> Submission:
    """Record the day the paperwork or the expense papers were sent (again: the new day)."""
    today = today_in_china()
    on = on or today
    if on > today:
        raise validation_failed({"date": ["报送日期不能晚于今天"]})
    if on < training_class.end_date:
        raise validation_failed(
            {"date": [f"报送日期不能早于研修班结束日期（{training_class.end_date.isoformat()}）"]}
        )
    submission = submission_of(training_class.id) or Submission(class_id=training_class.id)
    setattr(submission, f"{kind}_sent_on", on)
    submission.updated_by_id = by.id
    submission.updated_at = utcnow()
    db.session.add(submission)
    db.session.flush()
    return submission


def deadline_state(training_class: TrainingClass, today: date) -> dict:
    """Due dates, sending dates and flags of one class as of `today`."""
    sessions = sessions_of(training_class.id)
    first_start = sessions[0].starts_at if sessions else None
    return _state(training_class, submission_of(training_class.id), first_start, today)


def deadline_states(classes: list[TrainingClass], today: date) -> dict[int, dict]:
    """deadline_state of each class, in two queries for all of them."""
    ids = [c.id for c in classes]
    submissions = {
        s.class_id: s
        for s in db.session.scalars(db.select(Submission).where(Submission.class_id.in_(ids)))
    }
    starts = first_session_starts(ids)
    return {c.id: _state(c, submissions.get(c.id), starts.get(c.id), today) for c in classes}


def _state(
    training_class: TrainingClass,
    submission: Submission | None,
    first_start: datetime | None,
    today: date,
) -> dict:
    paperwork_sent_on = submission.paperwork_sent_on if submission else None
    expenses_sent_on = submission.expenses_sent_on if submission else None
    plan = training_class.project.plan
    flags = flags_for(
        start_date=training_class.start_date,
        end_date=training_class.end_date,
        deadline=plan.deadline,
        report_days=plan.report_days,
        expense_days=plan.expense_days,
        opening=opens_at(training_class.start_date, first_start),
        approved_at=training_class.approved_at,
        paperwork_sent_on=paperwork_sent_on,
        expenses_sent_on=expenses_sent_on,
        today=today,
    )
    return {
        "class_id": training_class.id,
        "end_date": training_class.end_date,
        "paperwork_due": paperwork_due(training_class.end_date, plan.report_days),
        "paperwork_sent_on": paperwork_sent_on,
        "expenses_due": expenses_due(training_class.end_date, plan.expense_days),
        "expenses_sent_on": expenses_sent_on,
        "flags": flags,
    }
