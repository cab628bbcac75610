"""GET /audit for the province office."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.audit.logic import entries
from backend.auth.access import require
from backend.auth.models import Role
from backend.core.schemas import ChinaDateTime

blp = Blueprint("audit", __name__, description="操作日志")


class AuditQuerySchema(Schema):
    class_id = fields.Integer()
    user_id = fields.Integer()
    action = fields.String(validate=validate.Length(max=50))
    before_id = fields.Integer()
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = ChinaDateTime()
    user_id = fields.Integer(allow_none=True)
    username = fields.String()
    action = fields.String()
    class_id = fields.Integer(allow_none=True)
    detail = fields.Dict()


@blp.route("/audit", methods=["GET"])
@require(Role.ADMIN)
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditEntrySchema(many=True))
def list_audit(query):
    """The audit trail, newest first, filtered by class, user or action prefix."""
    return entries(
        query.get("class_id"),
        query.get("user_id"),
        query.get("action"),
        query.get("before_id"),
        query["limit"],
    )
