"""Log-in and account schemas."""

from marshmallow import Schema, fields, validate

from backend.accounts.schemas import PASSWORD_RULE
from backend.auth.models import Role
from backend.core.schemas import ChinaDateTime, Text


class LoginSchema(Schema):
    username = Text(50, required=True)
    password = fields.String(
        required=True, validate=[validate.Length(min=1, error="不能为空"), validate.Length(max=200)]
    )


class TokenSchema(Schema):
    token = fields.String()
    role = fields.String()
    expires_at = ChinaDateTime()


class WeChatLoginSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=128))


class TraineeTokenSchema(Schema):
    token = fields.String()
    trainee_id = fields.Integer()
    expires_at = ChinaDateTime()


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.Function(lambda u: u.role.value)
    unit_id = fields.Integer(allow_none=True)
    lecturer_id = fields.Integer(allow_none=True)
    disabled = fields.Function(lambda u: u.disabled_at is not None)


class UserQuerySchema(Schema):
    role = fields.String(validate=validate.OneOf([r.value for r in Role]))
    unit_id = fields.Integer()


class PasswordResetSchema(Schema):
    password = fields.String(
        required=True,
        validate=validate.Length(min=8, max=200, error="密码长度应为 8 到 200 个字符"),
    )


class PasswordChangeSchema(Schema):
    old_password = fields.String(required=True)
    new_password = fields.String(required=True, validate=PASSWORD_RULE)


class MeSchema(Schema):
    role = fields.String()
    id = fields.Integer()
    username = fields.String()
    unit = fields.Dict(allow_none=True)
    lecturer = fields.Dict(allow_none=True)
