"""HTTP endpoints: log-in (staff and WeChat), log-out, accounts."""

from flask_smorest import Blueprint

from backend.accounts.logic import create_account
from backend.accounts.schemas import AccountSchema
from backend.audit.logic import record
from backend.auth import logic, tokens
from backend.auth.access import TRAINEE, current_trainee, current_user, require
from backend.auth.limits import limit_logins, limit_password_guesses
from backend.auth.models import Role
from backend.auth.schemas import (
    LoginSchema,
    MeSchema,
    PasswordChangeSchema,
    PasswordResetSchema,
    TokenSchema,
    TraineeTokenSchema,
    UserQuerySchema,
    UserSchema,
    WeChatLoginSchema,
)
from backend.classes.models import Lecturer
from backend.core.errors import ApiError, ErrorSchema
from backend.core.transaction import writes
from backend.extensions import db, limiter
from backend.plans.models import Unit

blp = Blueprint("auth", __name__, description="登录与账号")


@blp.route("/auth/login", methods=["POST"])
@limit_logins
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, schema=ErrorSchema, description="invalid_credentials")
def login(data):
    """Staff log-in: a signed token that expires (12 h by default)."""
    user, token, expires_at = logic.staff_login(data["username"], data["password"])
    return {"token": token, "role": user.role.value, "expires_at": expires_at}


@blp.route("/auth/wechat", methods=["POST"])
@writes
@limiter.limit("300/minute")
@blp.arguments(WeChatLoginSchema)
@blp.response(200, TraineeTokenSchema)
@blp.alt_response(401, schema=ErrorSchema, description="wechat_login_failed")
def wechat_login(data):
    """Trainee log-in with the code of wx.login (jscode2session on the server)."""
    trainee, token, expires_at = logic.wechat_login(data["code"])
    return {"token": token, "trainee_id": trainee.id, "expires_at": expires_at}


@blp.route("/auth/logout", methods=["POST"])
@writes
@require(Role.ADMIN, Role.ORGANIZER, Role.LECTURER, TRAINEE)
@blp.response(204)
def logout():
    """End every session of this account: all its tokens stop working."""
    account = current_user() or current_trainee()
    account.token_version += 1


@blp.route("/me/password", methods=["PUT"])
@writes
@limit_password_guesses
@require(Role.ADMIN, Role.ORGANIZER, Role.LECTURER)
@blp.arguments(PasswordChangeSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(
    401, schema=ErrorSchema, description="unauthorized, invalid_credentials (the old password)"
)
def change_password(data):
    """Change the password; earlier tokens die, a new one is returned."""
    user = current_user()
    if not user.check_password(data["old_password"]):
        raise ApiError(401, "invalid_credentials", "原密码错误")
    user.set_password(data["new_password"])
    record("user.password")
    db.session.flush()
    token, expires_at = tokens.issue("staff", user.id, user.token_version)
    return {"token": token, "role": user.role.value, "expires_at": expires_at}


@blp.route("/me", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER, Role.LECTURER, TRAINEE)
@blp.response(200, MeSchema)
def me():
    """Who the token belongs to."""
    user = current_user()
    if user is None:
        return {"role": TRAINEE, "id": current_trainee().id}
    unit = db.session.get(Unit, user.unit_id) if user.unit_id else None
    lecturer = db.session.get(Lecturer, user.lecturer_id) if user.lecturer_id else None
    return {
        "role": user.role.value,
        "id": user.id,
        "username": user.username,
        "unit": {"id": unit.id, "name": unit.name} if unit else None,
        "lecturer": {"id": lecturer.id, "name": lecturer.name} if lecturer else None,
    }


@blp.route("/users", methods=["POST"])
@writes
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(AccountSchema)
@blp.response(201, UserSchema)
@blp.alt_response(409, schema=ErrorSchema, description="username_taken")
def create_user(data):
    """Create a staff account (organizers: lecturer accounts only)."""
    user = create_account(data, current_user())
    return user


@blp.route("/users", methods=["GET"])
@require(Role.ADMIN)
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, UserSchema(many=True))
def list_users(query):
    """Staff accounts (the province office), by role and unit."""
    return logic.users_of(query.get("role"), query.get("unit_id"))


@blp.route("/users/<int:user_id>/password", methods=["PUT"])
@writes
@require(Role.ADMIN)
@blp.arguments(PasswordResetSchema)
@blp.response(200, UserSchema)
def reset_password(data, user_id):
    """Set a new password (the account's earlier tokens die)."""
    user = logic.user_or_404(user_id)
    logic.reset_password(user, data["password"])
    return user


@blp.route("/users/<int:user_id>/disable", methods=["POST"])
@writes
@require(Role.ADMIN)
@blp.response(200, UserSchema)
def disable_user(user_id):
    """The account can no longer log in; its tokens die. 409 for one's own account."""
    user = logic.user_or_404(user_id)
    logic.set_disabled(current_user(), user, True)
    return user


@blp.route("/users/<int:user_id>/enable", methods=["POST"])
@writes
@require(Role.ADMIN)
@blp.response(200, UserSchema)
def enable_user(user_id):
    user = logic.user_or_404(user_id)
    logic.set_disabled(current_user(), user, False)
    return user
