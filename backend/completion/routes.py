"""HTTP endpoints of completion: the rule, the completion view, certificates, 学时 register."""

from flask import g, url_for
from flask_smorest import Blueprint

from backend.auth.access import TRAINEE, authorize, current_trainee, current_user, require
from backend.auth.models import Role
from backend.classes.access import class_for_organizer, class_for_staff, is_staff_of
from backend.classes.models import TrainingClass
from backend.completion import credits, logic
from backend.completion.pdf import certificate_pdf
from backend.completion.schemas import (
    CertificateSchema,
    CompletionSchema,
    IssuedSchema,
    LookupQuerySchema,
    LookupSchema,
    MyCertificateSchema,
    RevokeSchema,
    RuleOutSchema,
    RuleSchema,
)
from backend.core.errors import not_found
from backend.core.files import XLSX, download, xlsx_response
from backend.extensions import db

blp = Blueprint("completion", __name__, description="结业：结业规则、学时、结业证书与核验")

CERTIFICATE_NOT_FOUND = "找不到该证书"


def verify_url(code: str) -> str:
    """The absolute address of the public verification page of a certificate."""
    return url_for("completion_pages.verify", code=code, _external=True)


@blp.route("/classes/<int:class_id>/completion-rule", methods=["PUT"])
@require(Role.ORGANIZER)
@blp.arguments(RuleSchema)
@blp.response(200, RuleOutSchema)
def put_rule(data, class_id):
    """Set who completes: the minimum attendance share (0–1) and whether the form is needed."""
    return logic.set_rule(class_for_organizer(class_id), data)


@blp.route("/classes/<int:class_id>/completion", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, CompletionSchema)
def completion(class_id):
    """Every trainee: sessions attended, 学时, rate, form returned, completed, and why not."""
    return logic.completion_view(class_for_staff(class_id))


@blp.route("/classes/<int:class_id>/certificates", methods=["POST"])
@require(Role.ORGANIZER)
@blp.response(200, IssuedSchema)
@blp.alt_response(409, description="class_not_finished: the last session has not ended")
def issue_certificates(class_id):
    """Issue a certificate to each trainee who completed; again: only the new ones."""
    return logic.issue(class_for_organizer(class_id), current_user().id)


@blp.route("/classes/<int:class_id>/certificates", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, CertificateSchema(many=True))
def class_certificates(class_id):
    return logic.certificates_of_class(class_for_staff(class_id).id)


def _certificate_for_staff(number: str):
    """The certificate, for the admin or its class's organizers (others: 404)."""
    certificate = logic.certificate_by_number(number)
    if not is_staff_of(db.session.get(TrainingClass, certificate.class_id)):
        raise not_found(CERTIFICATE_NOT_FOUND)
    return certificate


@blp.route("/certificates/<string:number>/revoke", methods=["POST"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(RevokeSchema)
@blp.response(200, CertificateSchema)
def revoke(data, number):
    """Revoke a certificate with a reason (audited); it then verifies as revoked."""
    certificate = _certificate_for_staff(number)
    logic.revoke(certificate, data["reason"])
    return certificate


@blp.route("/certificates", methods=["GET"])
@require(Role.ADMIN)
@blp.arguments(LookupQuerySchema, location="query")
@blp.response(200, LookupSchema(many=True))
def lookup(query):
    """The province office looks certificates up by number or name (at most 200)."""
    return logic.lookup(query.get("year"), query["q"])


@blp.route("/me/certificates", methods=["GET"])
@require(TRAINEE)
@blp.response(200, MyCertificateSchema(many=True))
def my_certificates():
    return [
        {
            "number": c.number,
            "class_id": k.id,
            "title": k.title,
            "credit_hours": c.credit_hours,
            "issued_at": c.issued_at,
            "verify_url": verify_url(c.code),
            "revoked": c.revoked_at is not None,
        }
        for c, k in logic.certificates_of_trainee(current_trainee().id)
    ]


@blp.route("/certificates/<string:number>.pdf", methods=["GET"])
@blp.response(200, content_type="application/pdf")
def certificate_file(number):
    """The certificate as an A4 PDF: for the trainee it belongs to and the class's staff."""
    authorize({"admin", "organizer", TRAINEE})
    if g.trainee is not None:
        certificate = logic.certificate_by_number(number)
        if not logic.belongs_to(certificate, g.trainee.id):
            raise not_found(CERTIFICATE_NOT_FOUND)
    else:
        certificate = _certificate_for_staff(number)
    data = certificate_pdf(logic.facts_of(certificate, verify_url(certificate.code)))
    return download(data, f"结业证书-{certificate.number}.pdf", "application/pdf")


@blp.route("/classes/<int:class_id>/exports/credits.xlsx", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=XLSX)
def credits_xlsx(class_id):
    """The class's 学时 register: every trainee, sessions attended, 学时, completed, number."""
    training_class = class_for_staff(class_id)
    data = credits.credits_xlsx(training_class, logic.completion_view(training_class))
    return xlsx_response(data, f"学时登记表-{training_class.title}.xlsx")
