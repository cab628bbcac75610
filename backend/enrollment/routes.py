"""HTTP endpoints of the roster (附件5) and of a trainee's own classes."""

from flask import request
from flask_smorest import Blueprint

from backend.auth.access import TRAINEE, current_trainee, current_user, require
from backend.auth.models import Role
from backend.classes.access import class_for_organizer, class_for_staff
from backend.core.errors import validation_failed
from backend.core.files import xlsx_response
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


def uploaded_rows() -> list:
    """Rows from an .xlsx upload (field `file`) or from a JSON list."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise validation_failed({"file": ["请选择要上传的 .xlsx 文件"]})
        if not upload.filename.lower().endswith(".xlsx"):
            raise validation_failed({"file": ["只接受 .xlsx 文件（请使用导入模板）"]})
        return rows_from_xlsx(upload.read())
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        raise validation_failed({"_schema": ["请求内容应为学员列表（JSON 数组）或 .xlsx 文件"]})
    return body


@blp.route("/classes/<int:class_id>/trainees", methods=["POST"])
@require(Role.ORGANIZER)
@blp.doc(**XLSX_UPLOAD_DOC)
@blp.response(201, CreatedSchema)
def import_trainees(class_id):
    """Add trainees to the roster, all or nothing."""
    training_class = class_for_organizer(class_id)
    return {"created": logic.import_roster(training_class, uploaded_rows())}


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


@blp.route("/me/enrollments", methods=["POST"])
@require(TRAINEE)
@blp.arguments(BindSchema)
@blp.response(200, BoundSchema)
def bind(data):
    """Bind this WeChat user to a roster entry by name and phone.

    Without class_id every class whose roster has this name and phone is bound, so a trainee
    need not know the class's number.
    """
    trainee_id = current_trainee().id
    if data["class_id"] is not None:
        entries = [logic.bind(trainee_id, data["class_id"], data["name"], data["phone"])]
    else:
        entries = logic.bind_everywhere(trainee_id, data["name"], data["phone"])
    first = entries[0]
    return {
        "enrollment_id": first.id,
        "class_id": first.class_id,
        "class_ids": [e.class_id for e in entries],
    }


@blp.route("/me/classes", methods=["GET"])
@require(TRAINEE)
@blp.response(200, MyClassSchema(many=True))
def my_classes():
    return logic.my_classes(current_trainee().id)
