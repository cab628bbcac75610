"""GET /me/data (a trainee's own data) and POST /classes/{id}/purge (admin)."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.auth.access import TRAINEE, current_trainee, require
from backend.auth.models import Role
from backend.classes.access import class_for_staff
from backend.core.errors import ErrorSchema
from backend.core.schemas import ChinaDateTime
from backend.core.transaction import writes
from backend.leave.schemas import CheckinRequestSchema, LeaveRequestSchema
from backend.privacy.logic import purge_class, trainee_data
from backend.recruitment.schemas import MyApplicationDataSchema

blp = Blueprint("privacy", __name__, description="个人信息：本人数据导出与到期清除")


class MyDataCheckInSchema(Schema):
    session_id = fields.Integer()
    topic = fields.String()
    checked_in_at = ChinaDateTime()
    late = fields.Boolean()
    mode = fields.String()
    source = fields.String()


class MyDataCheckOutSchema(Schema):
    session_id = fields.Integer()
    topic = fields.String()
    checked_out_at = ChinaDateTime()


class MyDataCertificateSchema(Schema):
    number = fields.String()
    class_id = fields.Integer()
    title = fields.String()
    name = fields.String()
    credit_hours = fields.Float()
    issued_at = ChinaDateTime()
    revoked_at = ChinaDateTime(allow_none=True)


class MyEnrollmentSchema(Schema):
    class_id = fields.Integer()
    class_title = fields.String()
    name = fields.String()
    phone = fields.String()
    gender = fields.String()
    employer = fields.String()
    post = fields.String()
    professional_title = fields.String()
    region = fields.String()
    attendance_mode = fields.String()
    survey_returned = fields.Boolean(
        metadata={"description": "a form was returned (its answers are anonymous)"}
    )
    checkins = fields.List(fields.Nested(MyDataCheckInSchema))
    checkouts = fields.List(fields.Nested(MyDataCheckOutSchema))


class MyAccountSchema(Schema):
    id = fields.Integer()
    openid = fields.String()
    created_at = ChinaDateTime()
    last_login_at = ChinaDateTime()


class MyDataSchema(Schema):
    trainee = fields.Nested(MyAccountSchema)
    enrollments = fields.List(fields.Nested(MyEnrollmentSchema))
    applications = fields.List(fields.Nested(MyApplicationDataSchema))
    leave_requests = fields.List(fields.Nested(LeaveRequestSchema))
    checkin_requests = fields.List(fields.Nested(CheckinRequestSchema))
    certificates = fields.List(fields.Nested(MyDataCertificateSchema))
    subscription_credits = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "per kind"}
    )


class PurgedSchema(Schema):
    purged = fields.Integer(metadata={"description": "roster entries blanked"})


@blp.route("/me/data", methods=["GET"])
@require(TRAINEE)
@blp.response(200, MyDataSchema)
def my_data():
    """Everything the system holds about the calling trainee (PIPL access and portability)."""
    return trainee_data(current_trainee())


@blp.route("/classes/<int:class_id>/purge", methods=["POST"])
@writes
@require(Role.ADMIN)
@blp.response(200, PurgedSchema)
@blp.alt_response(
    409, schema=ErrorSchema, description="invalid_transition (not closed), retention_period"
)
def purge(class_id):
    """Blank a closed class's personal data after the retention period; statistics survive."""
    return {"purged": purge_class(class_for_staff(class_id, roles=("admin",)))}
