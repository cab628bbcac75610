"""Who completed a class, their 学时, and issuing and revoking certificates.

Attended means checked in (late included) or corrected to present: both are check-in rows.
A trainee's 学时 is the sum of the sessions attended; the attendance rate is attended over
all sessions of the class (online attendance counts for hybrid classes).
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from backend.audit.logic import record
from backend.checkin.queries import attendance_marks
from backend.checkout.queries import checkout_mark, checkout_state, counts_as_attended
from backend.classes.logic import sessions_of
from backend.classes.models import Session, TrainingClass
from backend.completion.models import (
    DEFAULT_MIN_ATTENDANCE,
    DEFAULT_REQUIRE_SURVEY,
    Certificate,
    CompletionRule,
)
from backend.completion.pdf import CertificateFacts
from backend.core.errors import ApiError, not_found
from backend.core.timeutil import china_date, utcnow
from backend.enrollment.models import Enrollment
from backend.enrollment.queries import roster_of
from backend.extensions import db
from backend.plans.models import Project
from backend.reminders.logic import certificate_issued
from backend.surveys.queries import respondent_ids

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def rule_of(class_id: int) -> dict[str, Any]:
    """{min_attendance, require_survey}: the class's own rule, else the defaults."""
    rule = db.session.get(CompletionRule, class_id)
    if rule is None:
        return {"min_attendance": DEFAULT_MIN_ATTENDANCE, "require_survey": DEFAULT_REQUIRE_SURVEY}
    return {"min_attendance": rule.min_attendance, "require_survey": rule.require_survey}


def set_rule(training_class: TrainingClass, data: dict[str, Any]) -> dict[str, Any]:
    rule = db.session.get(CompletionRule, training_class.id)
    if rule is None:
        rule = CompletionRule(class_id=training_class.id)
        db.session.add(rule)
    rule.min_attendance = data["min_attendance"]
    rule.require_survey = data["require_survey"]
    db.session.flush()
    record("completion.rule", class_id=training_class.id, **{k: str(v) for k, v in data.items()})
    return rule_of(training_class.id)


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'))}".rstrip("0").rstrip(".") + "%"


@dataclass
class Outcome:
    """One trainee's standing against the rule."""

    enrollment_id: int
    name: str
    sessions_attended: int
    sessions_total: int
    attendance_rate: Decimal
    credit_hours: Decimal
    survey_returned: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return not self.reasons


def _outcome(entry, attended: set[int], sessions: list[Session], returned: bool, rule) -> Outcome:
    total = len(sessions)
    rate = Decimal(len(attended)) / total if total else Decimal(0)
    hours = sum((s.hours for s in sessions if s.id in attended), Decimal(0))
    outcome = Outcome(entry.id, entry.name, len(attended), total, rate, hours, returned)
    if total == 0:
        outcome.reasons.append("课程表中还没有课程")
    elif rate < rule["min_attendance"]:
        outcome.reasons.append(
            f"出勤 {len(attended)}/{total} 次（{_percent(rate)}），"
            f"低于结业要求的 {_percent(rule['min_attendance'])}"
        )
    if rule["require_survey"] and not returned:
        outcome.reasons.append("未提交满意度测评表")
    return outcome


def outcomes(training_class: TrainingClass) -> list[Outcome]:
    """Every roster entry's outcome, in roster order."""
    rule = rule_of(training_class.id)
    sessions = sessions_of(training_class.id)
    ends = {s.id: s.ends_at for s in sessions}
    checkout, now = checkout_state(training_class.id), utcnow()
    attended: dict[int, set[int]] = {}
    for mark in attendance_marks(training_class.id):
        out = checkout_mark(
            checkout, mark.enrollment_id, mark.session_id, ends[mark.session_id], now
        )
        if counts_as_attended(checkout, out):  # a required 签退 missing: not attended
            attended.setdefault(mark.enrollment_id, set()).add(mark.session_id)
    returned = respondent_ids(training_class.id)
    return [
        _outcome(entry, attended.get(entry.id, set()), sessions, entry.id in returned, rule)
        for entry in roster_of(training_class.id)
    ]


def certificates_by_enrollment(class_id: int) -> dict[int, Certificate]:
    rows = db.session.scalars(select(Certificate).where(Certificate.class_id == class_id))
    return {c.enrollment_id: c for c in rows}


def _action(outcome: Outcome, certificate: Certificate | None) -> str | None:
    """What the organizer should do: issue (completed, none yet) or revoke (no longer)."""
    if outcome.completed and certificate is None:
        return "issue"
    if not outcome.completed and certificate is not None and certificate.revoked_at is None:
        return "revoke"
    return None


def completion_view(training_class: TrainingClass) -> dict[str, Any]:
    """The rule and every trainee with attendance, 学时, form returned and reasons."""
    certificates = certificates_by_enrollment(training_class.id)
    trainees = []
    for outcome in outcomes(training_class):
        certificate = certificates.get(outcome.enrollment_id)
        trainees.append(
            {
                **outcome.__dict__,
                "completed": outcome.completed,
                "certificate": certificate,
                "action": _action(outcome, certificate),
            }
        )
    return {"rule": rule_of(training_class.id), "trainees": trainees}


def last_session_ended(training_class: TrainingClass) -> bool:
    sessions = sessions_of(training_class.id)
    return bool(sessions) and max(s.ends_at for s in sessions) <= utcnow()


def certificate_number(training_class: TrainingClass, enrollment_id: int) -> str:
    """YX<plan year>-<class id>-<roster entry id>: unique in the province, and the same
    whichever of two concurrent issuing requests writes it."""
    return f"YX{training_class.project.year}-{training_class.id:05d}-{enrollment_id:06d}"


def issue(training_class: TrainingClass, by_user_id: int) -> dict[str, int]:
    """Issue a certificate to every trainee who completed and has none yet.

    Idempotent: calling again issues only the new ones. Two requests at the same time both
    insert with ON CONFLICT DO NOTHING on the unique roster entry: the database decides, and
    each certificate exists once (the later request reports only what it added).
    """
    if not last_session_ended(training_class):
        raise ApiError(409, "class_not_finished", "最后一次课程结束后才能颁发结业证书")
    existing = certificates_by_enrollment(training_class.id)
    rows = [
        {
            "number": certificate_number(training_class, o.enrollment_id),
            "code": secrets.token_urlsafe(16),
            "class_id": training_class.id,
            "enrollment_id": o.enrollment_id,
            "name": o.name,
            "credit_hours": o.credit_hours,
            "issued_at": utcnow(),
            "issued_by_id": by_user_id,
            "revoked_reason": "",
        }
        for o in outcomes(training_class)
        if o.completed and o.enrollment_id not in existing
    ]
    issued = 0
    if rows:
        insert = _INSERTS[db.engine.dialect.name]
        statement = insert(Certificate).on_conflict_do_nothing(index_elements=["enrollment_id"])
        added = db.session.execute(
            statement.returning(Certificate.enrollment_id, Certificate.number), rows
        ).all()
        issued = len(added)
        _remind(training_class, added, {row["enrollment_id"]: row for row in rows})
    total = len(certificates_by_enrollment(training_class.id))
    record("certificate.issue", class_id=training_class.id, issued=issued)
    return {"issued": issued, "total": total}


def _remind(training_class: TrainingClass, added: list, rows: dict[int, dict]) -> None:
    """Queue the "certificate issued" reminder of each new certificate's bound trainee."""
    trainees = {e.id: e.trainee_id for e in roster_of(training_class.id)}
    for enrollment_id, number in added:
        if trainees.get(enrollment_id) is not None:
            certificate_issued(
                trainees[enrollment_id],
                training_class.id,
                training_class.title,
                number,
                rows[enrollment_id]["credit_hours"],
            )


def certificate_by_number(number: str) -> Certificate:
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if certificate is None:
        raise not_found("找不到该证书")
    return certificate


def revoke(certificate: Certificate, reason: str) -> None:
    if certificate.revoked_at is not None:
        raise ApiError(409, "invalid_transition", "该证书已经撤销")
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    db.session.flush()
    record(
        "certificate.revoke",
        class_id=certificate.class_id,
        number=certificate.number,
        reason=reason,
    )


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳明月 → 欧***: the first character and one * for each other."""
    return name[:1] + "*" * (len(name) - 1)


def certificates_of_class(class_id: int) -> list[Certificate]:
    return db.session.scalars(
        select(Certificate).where(Certificate.class_id == class_id).order_by(Certificate.number)
    ).all()


def certificates_of_trainee(trainee_id: int) -> list[tuple[Certificate, TrainingClass]]:
    """The trainee's certificates, newest first, with their classes."""
    return db.session.execute(
        select(Certificate, TrainingClass)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .join(TrainingClass, TrainingClass.id == Certificate.class_id)
        .where(Enrollment.trainee_id == trainee_id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ).all()


def belongs_to(certificate: Certificate, trainee_id: int) -> bool:
    entry = db.session.get(Enrollment, certificate.enrollment_id)
    return entry is not None and entry.trainee_id == trainee_id


def certificate_by_code(code: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def facts_of(certificate: Certificate, verify_url: str) -> CertificateFacts:
    training_class = db.session.get(TrainingClass, certificate.class_id)
    return CertificateFacts(
        name=certificate.name,
        class_title=training_class.title,
        host_unit=training_class.project.host_unit.name,
        start_date=training_class.start_date,
        end_date=training_class.end_date,
        credit_hours=certificate.credit_hours,
        number=certificate.number,
        issued_on=china_date(certificate.issued_at),
        verify_url=verify_url,
        revoked=certificate.revoked_at is not None,
    )


def verification(certificate: Certificate) -> dict[str, Any]:
    """What anyone may learn from a verification code: nothing about the person but the
    masked name."""
    facts = facts_of(certificate, verify_url="")
    return {
        "valid": not facts.revoked,
        "revoked": facts.revoked,
        "number": facts.number,
        "name_masked": mask_name(facts.name),
        "class_title": facts.class_title,
        "host_unit": facts.host_unit,
        "start_date": facts.start_date,
        "end_date": facts.end_date,
        "credit_hours": facts.credit_hours,
    }


def lookup(year: int | None, query: str, limit: int = 200) -> list[dict[str, Any]]:
    """The province's search across classes: by certificate number or by name."""
    statement = (
        select(Certificate, TrainingClass)
        .join(TrainingClass, TrainingClass.id == Certificate.class_id)
        .join(Project, Project.id == TrainingClass.project_id)
        .order_by(Certificate.number)
        .limit(limit)
    )
    if year is not None:
        statement = statement.where(Project.year == year)
    if query:
        statement = statement.where(
            (Certificate.number == query) | (Certificate.name.contains(query, autoescape=True))
        )
    return [
        {
            "certificate": c,
            "class_id": k.id,
            "class_title": k.title,
            "host_unit": k.project.host_unit.name,
        }
        for c, k in db.session.execute(statement).all()
    ]
