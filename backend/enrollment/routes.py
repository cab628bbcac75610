"""HTTP endpoints of the roster (附件5) and of a trainee's own classes."""

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from backend.auth import tokens
from backend.auth.access import TRAINEE, bearer_token, current_trainee, current_user, require
from backend.auth.models import Role
from backend.classes.access import class_for_organizer, class_for_staff
from backend.core.errors import ErrorSchema, validation_failed
from backend.core.files import xlsx_response
from backend.core.transaction import writes
from backend.enrollment import logic
from backend.enrollment.roster_import import rows_from_xlsx, template_xlsx
from backend.enrollment.schemas import (
    BindSchema,
    BoundSchema,
    CreatedSchema,
    MyClassSchema,
    RosterEntrySchema,
    RosterRowSchema,
)
from backend.extensions import limiter

blp = Blueprint("enrollment", __name__, description="研修人员名单（附件5）与学员绑定")

XLSX_UPLOAD_DOC = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"type": "array", "items": RosterRowSchema}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        }
    }
}


def uploaded_rows() -> tuple[list, bool]:
    """Numbered rows from an .xlsx upload (field `file`; Excel's row numbers) or from a JSON
    list (1 = the first item), and whether the rows came from an .xlsx."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise validation_failed({"file": ["请选择要上传的 .xlsx 文件"]})
        if not upload.filename.lower().endswith(".xlsx"):
            raise validation_failed({"file": ["只接受 .xlsx 文件（请使用导入模板）"]})
        return rows_from_xlsx(upload.read()), True
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        raise validation_failed({"_schema": ["请求内容应为学员列表（JSON 数组）或 .xlsx 文件"]})
    return list(enumerate(body, start=1)), False


@blp.route("/classes/<int:class_id>/trainees", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.doc(**XLSX_UPLOAD_DOC)
@blp.response(201, CreatedSchema)
@blp.alt_response(422, schema=ErrorSchema, description="validation_failed (rows and fields named)")
def import_trainees(class_id):
    """Add trainees to the roster, all or nothing. From an .xlsx, a phone already on the
    roster is skipped and listed in `skipped`, so a corrected file can be uploaded again."""
    training_class = class_for_organizer(class_id)
    rows, from_xlsx = uploaded_rows()
    return logic.import_roster(training_class, rows, skip_existing=from_xlsx)


@blp.route("/classes/<int:class_id>/trainees", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, RosterEntrySchema(many=True))
def list_trainees(class_id):
    """The roster with attendance. Phones in full only for the class's organizers."""
    training_class = class_for_staff(class_id)
    return logic.roster_view(training_class.id, full_phones=current_user().role == Role.ORGANIZER)


@blp.route("/classes/<int:class_id>/trainees/template.xlsx", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
def roster_template(class_id):
    """The .xlsx template for the roster import."""
    class_for_staff(class_id)
    return xlsx_response(template_xlsx(), "研修人员名单导入模板.xlsx")


def _trainee_key() -> str:
    token = bearer_token()
    claims = tokens.read(token, kinds=("trainee",)) if token else None
    return f"bind:trainee:{claims.account_id if claims else 'none'}"


def _failed_binding(response) -> bool:
    return response.status_code == 404


@blp.route("/me/enrollments", methods=["POST"])
@writes
@limiter.limit(
    lambda: current_app.config["BIND_IP_LIMIT"],
    key_func=lambda: f"bind:ip:{get_remote_address()}",
    deduct_when=_failed_binding,
)
@limiter.limit(
    lambda: current_app.config["BIND_TRAINEE_LIMIT"],
    key_func=_trainee_key,
    deduct_when=_failed_binding,
)
@require(TRAINEE)
@blp.arguments(BindSchema)
@blp.response(200, BoundSchema)
@blp.alt_response(404, schema=ErrorSchema, description="not_on_roster (also: held by another)")
@blp.alt_response(409, schema=ErrorSchema, description="already_bound: you hold another entry")
@blp.alt_response(429, schema=ErrorSchema, description="rate_limited: too many failed tries")
def bind(data):
    """Bind this WeChat user to its roster entries.

    With `phone_code` (WeChat's 手机号快速验证) every entry with that phone is bound, taken
    over from another WeChat user if need be. With a typed `name` and `phone`, only entries
    nobody else holds; "not on the roster" and "held by someone else" answer the same 404,
    and failed tries are limited per trainee and per address. Without class_id every class
    is searched, so a trainee need not know the class's number.
    """
    trainee_id = current_trainee().id
    if "phone_code" in data:
        phone = logic.proven_phone(data["phone_code"])
        entries = logic.bind_proven_phone(trainee_id, data["class_id"], phone)
    else:
        entries = logic.bind_typed(trainee_id, data["class_id"], data["name"], data["phone"])
    first = entries[0]
    return {
        "enrollment_id": first.id,
        "class_id": first.class_id,
        "class_ids": [e.class_id for e in entries],
    }


@blp.route("/classes/<int:class_id>/trainees/<int:enrollment_id>/binding", methods=["DELETE"])
@writes
@require(Role.ORGANIZER)
@blp.response(200, RosterEntrySchema)
def unbind(class_id, enrollment_id):
    """Free a roster entry from its WeChat user (audited), e.g. one bound by the wrong person;
    the trainee then binds again, best by WeChat's phone check."""
    training_class = class_for_organizer(class_id)
    entry = logic.unbind(training_class, enrollment_id)
    return next(
        r for r in logic.roster_view(class_id, full_phones=True) if r["enrollment_id"] == entry.id
    )


@blp.route("/me/classes", methods=["GET"])
@require(TRAINEE)
@blp.response(200, MyClassSchema(many=True))
def my_classes():
    return logic.my_classes(current_trainee().id)
