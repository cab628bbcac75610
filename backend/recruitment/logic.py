"""Recruitment: open and close it, apply, decide, withdraw, and the composition.

Seats are counted on the recruitment row (`admitted`) and only ever moved by one conditional
UPDATE (`admitted < quota`), which SQLite serialises (BEGIN IMMEDIATE) and PostgreSQL
re-checks under the row lock: concurrent admissions never pass the quota. A roster entry is
enrollment's to write: admission and withdrawal call its functions.
"""

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from backend.audit.logic import record
from backend.classes.models import ClassMode, ClassStatus, TrainingClass
from backend.core.errors import ApiError, validation_failed
from backend.core.labels import labels_of
from backend.core.memo import read_once
from backend.core.regions import HUBEI_DIVISIONS
from backend.core.timeutil import CHINA, today_in_china, utcnow
from backend.enrollment import logic as enrollment
from backend.enrollment.models import Enrollment, TitleLevel, is_eligible
from backend.enrollment.queries import mask_phone, roster_contacts
from backend.enrollment.schemas import TITLE_LEVEL_LABELS
from backend.extensions import db
from backend.plans.models import Project, Unit
from backend.recruitment.models import Application, ApplicationStatus, Recruitment
from backend.reminders import logic as reminders

#: The fields an admitted application copies to its roster entry.
ROSTER_FIELDS = (
    "name",
    "phone",
    "gender",
    "employer",
    "post",
    "professional_title",
    "title_level",
    "management_post",
    "region",
    "county",
    "grassroots",
    "poor_area",
    "attendance_mode",
)
#: The columns a composition counts (the same names on applications and roster entries).
COMPOSED = (
    Application.title_level,
    Application.management_post,
    Application.grassroots,
    Application.poor_area,
    Application.region,
)
#: Decisions an organizer may take from each status (withdrawn is final).
DECIDABLE = {
    ApplicationStatus.PENDING: {"admitted", "waitlisted", "rejected"},
    ApplicationStatus.WAITLISTED: {"admitted", "rejected"},
    ApplicationStatus.REJECTED: {"admitted", "waitlisted"},
    ApplicationStatus.ADMITTED: {"waitlisted", "rejected"},
}
STATUS_LABELS = labels_of(ApplicationStatus)


def recruitment_of(class_id: int) -> Recruitment | None:
    return db.session.get(Recruitment, class_id)


def accepting(recruitment: Recruitment | None) -> bool:
    """Applications are accepted: opened, not closed, before its closing time."""
    return recruitment is not None and recruitment.open and recruitment.closes_at > utcnow()


def _invalid(message: str) -> ApiError:
    return ApiError(409, "invalid_transition", message)


def open_recruitment(training_class: TrainingClass, data: dict, user_id: int) -> Recruitment:
    """Open (or change and reopen) the class's recruitment.

    409 invalid_transition for a closed class; 422 for a closing time past or after the
    class's end, or a quota below the seats already taken."""
    if training_class.status == ClassStatus.CLOSED:
        raise _invalid("研修班已结班，不能招生")
    closes_at = data["closes_at"]
    class_end = datetime.combine(
        training_class.end_date + timedelta(days=1), datetime.min.time(), CHINA
    )
    if closes_at <= utcnow():
        raise validation_failed({"closes_at": ["报名截止时间应晚于现在"]})
    if closes_at > class_end:
        raise validation_failed({"closes_at": ["报名截止时间不能晚于研修班结束日期"]})
    quota = data["quota"] or training_class.capacity
    recruitment = recruitment_of(training_class.id)
    if recruitment is not None and quota < recruitment.admitted:
        raise validation_failed(
            {"quota": [f"已录取 {recruitment.admitted} 人，招收名额不能少于已录取人数"]}
        )
    if recruitment is None:
        recruitment = Recruitment(class_id=training_class.id, admitted=0)
        db.session.add(recruitment)
    recruitment.open = True
    recruitment.closes_at = closes_at
    recruitment.quota = quota
    recruitment.notice = data["notice"]
    recruitment.opened_at = utcnow()
    recruitment.opened_by_id = user_id
    record("recruitment.open", class_id=training_class.id, quota=quota)
    db.session.flush()
    return recruitment


def close_recruitment(training_class: TrainingClass) -> Recruitment:
    """No more applications; decisions on those received go on. 404 if it never opened."""
    recruitment = recruitment_of(training_class.id)
    if recruitment is None:
        raise ApiError(404, "not_found", "本班尚未开始招生")
    recruitment.open = False
    record("recruitment.close", class_id=training_class.id)
    db.session.flush()
    return recruitment


def recruitment_view(recruitment: Recruitment) -> dict[str, Any]:
    return {
        "class_id": recruitment.class_id,
        "open": accepting(recruitment),
        "closes_at": recruitment.closes_at,
        "quota": recruitment.quota,
        "admitted": recruitment.admitted,
        "notice": recruitment.notice,
    }


def public_view(training_class: TrainingClass, recruitment: Recruitment) -> dict[str, Any]:
    """What an applicant reads: the class and its recruitment."""
    return {
        **recruitment_view(recruitment),
        "class": {
            "id": training_class.id,
            "title": training_class.title,
            "host_unit": training_class.project.host_unit.name,
            "location": training_class.location,
            "start_date": training_class.start_date,
            "end_date": training_class.end_date,
            "mode": training_class.mode.value,
        },
    }


def eligibility_notes(title_level: TitleLevel | str | None, management_post: bool) -> list[str]:
    """Why an application does not meet the notice's audience (empty when it does)."""
    if is_eligible(title_level and TitleLevel(title_level), management_post):
        return []
    label = TITLE_LEVEL_LABELS[TitleLevel(title_level or "none").value]
    return [
        f"职称级别为“{label}”且未在管理岗位工作：招生通知要求学员一般应具有中高级职称"
        "（职业资格）或在管理岗位工作，报名已受理，由承办单位审核"
    ]


def apply(training_class: TrainingClass, trainee_id: int, data: dict) -> Application:
    """A trainee's application. 404 when the class never recruited; 409 recruitment_closed;
    409 already_applied while this WeChat user has a live one (the unique index holds it
    under concurrent submits too); 422 for online attendance in an offline class."""
    recruitment = recruitment_of(training_class.id)
    if recruitment is None:
        raise ApiError(404, "not_found", "本班没有招生")
    if not accepting(recruitment) or training_class.status == ClassStatus.CLOSED:
        raise ApiError(409, "recruitment_closed", "本班报名已截止")
    if data["attendance_mode"] == "online" and training_class.mode != ClassMode.HYBRID:
        raise validation_failed({"attendance_mode": ["本班为线下班，不能线上参训"]})
    if live_application(training_class.id, trainee_id) is not None:
        raise _already_applied()
    fields = {name: data[name] for name in ROSTER_FIELDS}
    notes = eligibility_notes(fields["title_level"], fields["management_post"])
    application = Application(
        class_id=training_class.id,
        trainee_id=trainee_id,
        eligible=not notes,
        notes="\n".join(notes),
        **fields,
    )
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same user's concurrent submit won
        raise _already_applied() from error
    return application


def _already_applied() -> ApiError:
    return ApiError(409, "already_applied", "您已报名本班，可在“我的报名”中查看或撤回")


def live_application(class_id: int, trainee_id: int) -> Application | None:
    return db.session.scalar(
        db.select(Application).where(
            Application.class_id == class_id,
            Application.trainee_id == trainee_id,
            Application.status != ApplicationStatus.WITHDRAWN,
        )
    )


def notes_of(notes: str) -> list[str]:
    """An application's eligibility notes (stored one a line)."""
    return notes.splitlines() if notes else []


def my_applications(trainee_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        db.select(Application, TrainingClass)
        .join(TrainingClass, TrainingClass.id == Application.class_id)
        .where(Application.trainee_id == trainee_id)
        .order_by(Application.submitted_at.desc(), Application.id.desc())
    ).all()
    return [
        {
            "id": a.id,
            "class_id": k.id,
            "title": k.title,
            "status": a.status.value,
            "reason": a.reason,
            "submitted_at": a.submitted_at,
            "decided_at": a.decided_at,
        }
        for a, k in rows
    ]


def applications_held(trainee_id: int) -> list[dict[str, Any]]:
    """Each application of the trainee with everything its form said and its decision."""
    forms = {
        a.id: a
        for a in db.session.scalars(
            db.select(Application).where(Application.trainee_id == trainee_id)
        )
    }
    return [
        {**listed, **{name: getattr(forms[listed["id"]], name) for name in ROSTER_FIELDS}}
        for listed in my_applications(trainee_id)
    ]


def forget_applications(class_id: int) -> int:
    """Delete a purged class's applications: each ties a WeChat user to what they wrote.
    The roster keeps who took part (blanked by the purge)."""
    return db.session.execute(delete(Application).where(Application.class_id == class_id)).rowcount


def _take_seat(class_id: int) -> None:
    """One seat more, only while one is free: 409 class_full otherwise."""
    taken = db.session.execute(
        update(Recruitment)
        .where(Recruitment.class_id == class_id, Recruitment.admitted < Recruitment.quota)
        .values(admitted=Recruitment.admitted + 1)
    ).rowcount
    if taken != 1:
        raise ApiError(409, "class_full", "录取人数已达招收名额，可将其列入候补或先增加名额")


def _free_seat(class_id: int) -> None:
    db.session.execute(
        update(Recruitment)
        .where(Recruitment.class_id == class_id, Recruitment.admitted > 0)
        .values(admitted=Recruitment.admitted - 1)
    )


def _leave_roster(application: Application, training_class: TrainingClass) -> None:
    """An admitted applicant gives up the seat: off the roster, unless the class started."""
    if today_in_china() >= training_class.start_date:
        raise ApiError(409, "class_started", "研修班已开班，不能再撤销录取，请联系承办单位")
    _free_seat(training_class.id)
    entry_id, application.enrollment_id = application.enrollment_id, None
    db.session.flush()
    if entry_id is not None:
        enrollment.remove_entry(training_class, entry_id)


def decide(application: Application, decision: str, reason: str, user_id: int) -> Application:
    """admit / waitlist / reject. Admission takes a seat (409 class_full past the quota) and
    puts the applicant on the roster bound to their WeChat user; moving an admitted one away
    gives the seat back. 409 invalid_transition for a withdrawn application or the same
    decision again, or a closed class. `application` must be locked (access.py)."""
    target = ApplicationStatus(decision)
    if target.value not in DECIDABLE.get(application.status, set()):
        raise _invalid(f"该报名当前为“{STATUS_LABELS[application.status.value]}”，不能再作此决定")
    training_class = db.session.get(TrainingClass, application.class_id)
    if training_class.status == ClassStatus.CLOSED:
        raise _invalid("研修班已结班，不能再录取")
    if application.status == ApplicationStatus.ADMITTED:
        _leave_roster(application, training_class)
    if target == ApplicationStatus.ADMITTED:
        _take_seat(training_class.id)
        row = {name: getattr(application, name) for name in ROSTER_FIELDS}
        entry = enrollment.enroll_bound(training_class, row, application.trainee_id)
        application.enrollment_id = entry.id
    application.status = target
    application.reason = reason
    application.decided_at = utcnow()
    application.decided_by_id = user_id
    record(
        "recruitment.decide",
        class_id=training_class.id,
        application_id=application.id,
        to=target.value,
    )
    reminders.application_decided(
        application.trainee_id,
        training_class.id,
        application.id,
        training_class.title,
        target,
        reason,
    )
    db.session.flush()
    return application


def withdraw(application: Application) -> Application:
    """The applicant withdraws; an admitted one leaves the roster (409 class_started once the
    class has begun). 409 invalid_transition when already withdrawn."""
    if application.status == ApplicationStatus.WITHDRAWN:
        raise _invalid("该报名已撤回")
    if application.status == ApplicationStatus.ADMITTED:
        _leave_roster(application, db.session.get(TrainingClass, application.class_id))
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = utcnow()
    db.session.flush()
    return application


def application_rows(
    class_id: int, status: str | None = None, application_id: int | None = None
) -> list:
    """The applications (or those of one status, or one) as light read-only rows: a Core
    select on the session's connection, without the ORM's loading."""
    table = Application.__table__
    query = db.select(table).where(table.c.class_id == class_id)
    if status is not None:
        query = query.where(table.c.status == status)
    if application_id is not None:
        query = query.where(table.c.id == application_id)
    order = query.order_by(table.c.submitted_at, table.c.id)
    return db.session.connection().execute(order).all()


def applications_view(
    training_class: TrainingClass,
    status: str | None,
    full_phones: bool,
    application_id: int | None = None,
) -> list[dict[str, Any]]:
    """Every application (or those of one status, or one) with its fields, eligibility, notes
    and the other classes of the same year the person applied to or is on (flagged, never
    refused)."""
    others = other_classes(training_class)
    rows = application_rows(training_class.id, status, application_id)
    return [_application_view(row._mapping, others, full_phones) for row in rows]


def _application_view(a: Any, others: "OtherClasses", full_phones: bool) -> dict[str, Any]:
    """One application row (a mapping of its columns) as ApplicationSchema describes it."""
    view = {name: a[name] for name in ROSTER_FIELDS}
    view.update(
        id=a["id"],
        class_id=a["class_id"],
        phone=a["phone"] if full_phones else mask_phone(a["phone"]),
        title_level=a["title_level"].value,
        attendance_mode=a["attendance_mode"].value,
        eligible=a["eligible"],
        notes=notes_of(a["notes"]),
        status=a["status"].value,
        reason=a["reason"],
        submitted_at=a["submitted_at"],
        decided_at=a["decided_at"],
        enrollment_id=a["enrollment_id"],
        also_in=others.find(a["phone"], a["trainee_id"]),
    )
    return view


class OtherClasses:
    """Where people of one class also appear in the other classes of the same plan year."""

    def __init__(self) -> None:
        self.by_phone: dict[str, dict[int, dict]] = {}
        self.by_trainee: dict[int, dict[int, dict]] = {}

    def add(self, phone: str, trainee_id: int | None, place: dict) -> None:
        self.by_phone.setdefault(phone, {})[place["class_id"]] = place
        if trainee_id is not None:
            self.by_trainee.setdefault(trainee_id, {})[place["class_id"]] = place

    def find(self, phone: str, trainee_id: int | None) -> list[dict]:
        if phone not in self.by_phone and trainee_id not in self.by_trainee:
            return []  # most people: no dicts merged, nothing sorted
        found = {**self.by_phone.get(phone, {}), **self.by_trainee.get(trainee_id, {})}
        return [found[k] for k in sorted(found)]


def other_classes(training_class: TrainingClass) -> OtherClasses:
    """Live applications and roster entries of the year's other classes, by phone and user."""
    classes = db.session.execute(
        db.select(TrainingClass.id, Project.name, Project.host_unit_id)
        .join(Project, Project.id == TrainingClass.project_id)
        .where(Project.year == training_class.project.year, TrainingClass.id != training_class.id)
    ).all()
    others = OtherClasses()
    if not classes:
        return others
    units = dict(db.session.execute(db.select(Unit.id, Unit.name)).all())
    card = {
        c.id: {"class_id": c.id, "title": c.name, "host_unit": units[c.host_unit_id]}
        for c in classes
    }
    applied = db.session.execute(
        db.select(Application.class_id, Application.phone, Application.trainee_id).where(
            Application.class_id.in_(card), Application.status != ApplicationStatus.WITHDRAWN
        )
    )
    for class_id, phone, trainee_id in applied:
        others.add(phone, trainee_id, {**card[class_id], "how": "applied"})
    listed = db.session.execute(
        db.select(Enrollment.class_id, Enrollment.phone, Enrollment.trainee_id).where(
            Enrollment.class_id.in_(card)
        )
    )
    for class_id, phone, trainee_id in listed:
        others.add(phone, trainee_id, {**card[class_id], "how": "roster"})
    return others


def roster_also_in(training_class: TrainingClass) -> list[dict[str, Any]]:
    """The class's roster entries that also appear in another class of the same year."""
    others = other_classes(training_class)
    flagged = []
    for entry in roster_contacts(training_class.id):
        places = others.find(entry.phone, entry.trainee_id)
        if places:
            flagged.append({"enrollment_id": entry.id, "name": entry.name, "also_in": places})
    return flagged


def _compose(people: list[Any]) -> dict[str, Any]:
    """C of API.md: counts by title level, management post, eligibility, grassroots, poor
    area and region (divisions in the province's order)."""
    levels = Counter((p.title_level or TitleLevel.NONE).value for p in people)
    regions = Counter(p.region for p in people if p.region)
    return {
        "total": len(people),
        "title_level": {level.value: levels.get(level.value, 0) for level in TitleLevel},
        "management_post": sum(1 for p in people if p.management_post),
        "eligible": sum(1 for p in people if is_eligible(p.title_level, p.management_post)),
        "grassroots": sum(1 for p in people if p.grassroots),
        "poor_area": sum(1 for p in people if p.poor_area),
        "regions": {name: regions[name] for name in HUBEI_DIVISIONS if regions.get(name)},
        "regions_covered": sum(1 for name in HUBEI_DIVISIONS if regions.get(name)),
        "title_level_stated": sum(1 for p in people if p.title_level is not None),
    }


def composition(class_id: int) -> dict[str, Any]:
    """{applicants, roster}: every application but the withdrawn ones, and the roster."""
    applicants = db.session.execute(
        db.select(*COMPOSED).where(
            Application.class_id == class_id, Application.status != ApplicationStatus.WITHDRAWN
        )
    ).all()
    return {"applicants": _compose(applicants), "roster": roster_composition([class_id])}


@read_once
def roster_composition(class_ids: list[int]) -> dict[str, Any]:
    """C of the rosters of these classes together (one class, or a year's for the province)."""
    if not class_ids:
        return _compose([])
    columns = [getattr(Enrollment, column.key) for column in COMPOSED]
    entries = db.session.execute(
        db.select(*columns).where(Enrollment.class_id.in_(class_ids))
    ).all()
    return _compose(entries)


def roster_compositions(class_ids: list[int]) -> dict[int, dict[str, Any]]:
    """C of each class's roster, for several classes in one query."""
    columns = [getattr(Enrollment, column.key) for column in COMPOSED]
    entries: dict[int, list[Any]] = {class_id: [] for class_id in class_ids}
    if class_ids:
        rows = db.session.execute(
            db.select(Enrollment.class_id, *columns).where(Enrollment.class_id.in_(class_ids))
        ).all()
        for row in rows:
            entries[row.class_id].append(row)
    return {class_id: _compose(people) for class_id, people in entries.items()}
