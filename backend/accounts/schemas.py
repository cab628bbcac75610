"""What a new staff account must be: the same checks for POST /users and `flask users create`."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.auth.models import Role
from backend.core.schemas import Text

#: Every staff password: new accounts and changed passwords.
PASSWORD_RULE = validate.Length(min=8, max=200, error="密码长度应为 8 到 200 个字符")


class AccountSchema(Schema):
    username = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9_.\-]{3,50}$", error="3 到 50 个字母、数字或 _ . -"),
    )
    password = fields.String(required=True, validate=PASSWORD_RULE)
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    full_name = Text(50, load_default="")
    unit_id = fields.Integer(load_default=None, allow_none=True)
    lecturer_id = fields.Integer(load_default=None, allow_none=True)

    @validates_schema
    def _links(self, data, **kwargs):
        if data.get("role") == Role.ORGANIZER and not data.get("unit_id"):
            raise ValidationError("组织者账号须指定承办单位", "unit_id")
        if data.get("role") == Role.LECTURER and not data.get("lecturer_id"):
            raise ValidationError("授课人账号须指定授课人", "lecturer_id")
