"""HTTP endpoints of recruitment (招生报名)."""

from flask import g, jsonify
from flask_smorest import Blueprint

from backend.auth.access import TRAINEE, authorize, current_trainee, current_user, require
from backend.auth.models import Role
from backend.classes.access import CLASS_NOT_FOUND, class_for_organizer, class_for_staff
from backend.classes.models import TrainingClass
from backend.core.errors import ErrorSchema, not_found
from backend.core.files import download
from backend.core.transaction import writes
from backend.enrollment.logic import proven_phone
from backend.extensions import db
from backend.recruitment import logic
from backend.recruitment.access import application_for_organizer, own_application
from backend.recruitment.entry import entry_of
from backend.recruitment.poster import PosterFacts, poster_pdf
from backend.recruitment.schemas import (
    APPLICATION_DUMP,
    DECISIONS,
    ApplicationDecisionSchema,
    ApplicationSchema,
    AppliedSchema,
    ApplySchema,
    CompositionSchema,
    MyApplicationSchema,
    OpenSchema,
    PublicRecruitmentSchema,
    RecruitmentSchema,
    StatusQuerySchema,
    WithdrawnSchema,
)

blp = Blueprint("recruitment", __name__, description="招生报名：招生设置、报名、录取与生源构成")

NEVER_RECRUITED = "本班没有招生"


@blp.route("/classes/<int:class_id>/recruitment", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(OpenSchema)
@blp.response(200, RecruitmentSchema)
@blp.alt_response(409, schema=ErrorSchema, description="invalid_transition: the class is closed")
def open_recruitment(data, class_id):
    """Open recruitment (or change it and reopen): closing time, quota, notice."""
    training_class = class_for_organizer(class_id)
    return logic.recruitment_view(logic.open_recruitment(training_class, data, current_user().id))


@blp.route("/classes/<int:class_id>/recruitment", methods=["DELETE"])
@writes
@require(Role.ORGANIZER)
@blp.response(200, RecruitmentSchema)
def close_recruitment(class_id):
    """No more applications; the ones received can still be decided."""
    return logic.recruitment_view(logic.close_recruitment(class_for_organizer(class_id)))


@blp.route("/classes/<int:class_id>/recruitment", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER, TRAINEE)
@blp.response(200, PublicRecruitmentSchema)
def get_recruitment(class_id):
    """The class and its recruitment, for any trainee (the entry) and the class's staff."""
    authorize({"admin", "organizer", TRAINEE})
    if g.user is not None:
        training_class = class_for_staff(class_id)
    else:
        training_class = db.session.get(TrainingClass, class_id)
    recruitment = logic.recruitment_of(class_id) if training_class else None
    if recruitment is None:
        raise not_found(NEVER_RECRUITED if training_class else CLASS_NOT_FOUND)
    return logic.public_view(training_class, recruitment)


@blp.route("/classes/<int:class_id>/applications", methods=["POST"])
@writes
@require(TRAINEE)
@blp.arguments(ApplySchema)
@blp.response(201, AppliedSchema)
@blp.alt_response(
    409,
    schema=ErrorSchema,
    description="recruitment_closed; already_applied (one live application per WeChat user)",
)
@blp.alt_response(429, schema=ErrorSchema, description="rate_limited: WeChat's phone check")
def apply(data, class_id):
    """Apply. An application outside the notice's audience is accepted with a Chinese note."""
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        raise not_found(CLASS_NOT_FOUND)
    if "phone_code" in data:
        data["phone"] = proven_phone(data["phone_code"])
    application = logic.apply(training_class, current_trainee().id, data)
    return {
        "id": application.id,
        "status": application.status.value,
        "eligible": application.eligible,
        "notes": logic.notes_of(application.notes),
    }


@blp.route("/me/applications", methods=["GET"])
@require(TRAINEE)
@blp.response(200, MyApplicationSchema(many=True))
def my_applications():
    return logic.my_applications(current_trainee().id)


@blp.route("/me/applications/<int:application_id>", methods=["DELETE"])
@writes
@require(TRAINEE)
@blp.response(200, WithdrawnSchema)
@blp.alt_response(
    409,
    schema=ErrorSchema,
    description="class_started (an admitted applicant); invalid_transition (already withdrawn)",
)
def withdraw(application_id):
    """Withdraw; an admitted applicant also leaves the roster and frees the seat."""
    application = own_application(application_id, current_trainee().id)
    return {"status": logic.withdraw(application).status.value}


@blp.route("/classes/<int:class_id>/applications", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(StatusQuerySchema, location="query")
@blp.response(200, ApplicationSchema(many=True))
def list_applications(query, class_id):
    """Every application (or those of one status); phones in full only for the organizers."""
    training_class = class_for_staff(class_id)
    full = current_user().role == Role.ORGANIZER
    views = logic.applications_view(training_class, query["status"], full_phones=full)
    return jsonify(APPLICATION_DUMP.many(views))


@blp.route("/applications/<int:application_id>/decision", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(ApplicationDecisionSchema)
@blp.response(200, ApplicationSchema)
@blp.alt_response(
    409,
    schema=ErrorSchema,
    description="class_full (quota reached); invalid_transition; class_started; already_bound",
)
def decide(data, application_id):
    """admit / waitlist / reject with a reason; admitted: on the roster, already bound."""
    application = application_for_organizer(application_id)
    logic.decide(application, DECISIONS[data["decision"]], data["reason"], current_user().id)
    training_class = db.session.get(TrainingClass, application.class_id)
    (view,) = logic.applications_view(training_class, None, True, application_id=application.id)
    return jsonify(APPLICATION_DUMP.one(view))


@blp.route("/classes/<int:class_id>/composition", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, CompositionSchema)
def composition(class_id):
    """生源构成 of the applicants (all but withdrawn) and of the roster."""
    return logic.composition(class_for_staff(class_id).id)


def _recruiting_class_for_staff(class_id: int) -> tuple[TrainingClass, dict]:
    training_class = class_for_staff(class_id)
    recruitment = logic.recruitment_of(class_id)
    if recruitment is None:
        raise not_found(NEVER_RECRUITED)
    return training_class, logic.public_view(training_class, recruitment)


@blp.route("/classes/<int:class_id>/recruitment/entry.png", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type="image/png")
def entry_png(class_id):
    """The entry code: a mini-program code opening the apply page (scene `c=<id>`), or a
    plain QR code of the public recruitment page when WeChat is not configured."""
    _recruiting_class_for_staff(class_id)
    entry = entry_of(class_id)
    kind = "小程序码" if entry.wxacode else "二维码"
    return download(entry.image, f"报名{kind}-{class_id}.png", "image/png")


@blp.route("/classes/<int:class_id>/recruitment/poster.pdf", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type="application/pdf")
def poster(class_id):
    """招生海报 (A4 PDF): title, dates, place, audience, quota, closing time, notice, code."""
    training_class, view = _recruiting_class_for_staff(class_id)
    entry = entry_of(class_id)
    facts = PosterFacts(
        title=training_class.title,
        host_unit=view["class"]["host_unit"],
        location=training_class.location,
        start_date=training_class.start_date,
        end_date=training_class.end_date,
        mode=training_class.mode.value,
        quota=view["quota"],
        closes_at=view["closes_at"],
        notice=view["notice"],
        code_png=entry.image,
        wxacode=entry.wxacode,
        link=entry.link,
    )
    return download(poster_pdf(facts), f"招生海报-{training_class.title}.pdf", "application/pdf")
