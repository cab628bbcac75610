"""Log-in and accounts."""

from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from backend.audit.logic import record
from backend.auth import tokens
from backend.auth.models import Trainee, User
from backend.core.errors import ApiError
from backend.core.schemas import normalise_username
from backend.core.timeutil import utcnow
from backend.extensions import db
from backend.wechat.calls import call_wechat
from backend.wechat.client import WeChatLoginFailed, client_from_config

#: Checked when the username is unknown, so both failures take the same time.
DUMMY_HASH = generate_password_hash("not a real password")


def check_credentials(username: str, password: str) -> User:
    """The staff account of these credentials (API and page log-in alike); 401 otherwise.

    The username is normalised as the log-in limit counts it (normalise_username).
    """
    username = normalise_username(username)
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        check_password_hash(DUMMY_HASH, password)
    if user is None or not user.check_password(password):
        raise ApiError(401, "invalid_credentials", "用户名或密码错误")
    return user


def staff_login(username: str, password: str) -> tuple[User, str, object]:
    user = check_credentials(username, password)
    token, expires_at = tokens.issue("staff", user.id, user.token_version)
    return user, token, expires_at


def _openid_for(code: str) -> tuple[str, str | None]:
    """(openid, session_key) for a wx.login code: dev codes, or WeChat's jscode2session."""
    if current_app.config["DEV_LOGIN"] and code.startswith("dev:"):
        return code, None
    session = call_wechat(
        lambda client: client.code_to_session(code),
        WeChatLoginFailed,
        ApiError(401, "wechat_login_failed", "微信登录失败，请重新打开小程序"),
        "微信登录未配置，请联系管理员",
    )
    return session.openid, session.session_key


def wechat_login(code: str) -> tuple[Trainee, str, object]:
    openid, session_key = _openid_for(code)
    trainee = db.session.scalar(db.select(Trainee).where(Trainee.openid == openid))
    if trainee is None:
        try:
            with db.session.begin_nested():
                trainee = Trainee(openid=openid)
                db.session.add(trainee)
        except IntegrityError:  # the same user logged in twice at once
            trainee = db.session.scalar(db.select(Trainee).where(Trainee.openid == openid))
    trainee.session_key = session_key
    trainee.last_login_at = utcnow()
    db.session.flush()
    token, expires_at = tokens.issue("trainee", trainee.id, trainee.token_version)
    return trainee, token, expires_at


def init_wechat(app) -> None:
    """Put the WeChat client (or None when not configured) in app.extensions."""
    redis_client = app.extensions.get("redis")
    app.extensions["wechat"] = client_from_config(app.config, redis_client)


def reset_password(user: User, password: str) -> None:
    """A new password set by the province office; the account's earlier tokens die."""
    user.set_password(password)
    db.session.flush()
    record("user.password_reset", username=user.username)


def set_disabled(caller: User, user: User, disabled: bool) -> None:
    """Disable (no log-in, every token dies) or enable an account again."""
    if disabled and user.id == caller.id:
        raise ApiError(409, "invalid_transition", "不能停用自己的账号")
    user.disabled_at = utcnow() if disabled else None
    user.token_version = (user.token_version or 0) + 1
    db.session.flush()
    record("user.disable" if disabled else "user.enable", username=user.username)


def users_of(role: str | None, unit_id: int | None) -> list[User]:
    """Staff accounts for the province office, by unit then log-in name."""
    query = db.select(User).order_by(User.role, User.unit_id, User.username)
    if role:
        query = query.where(User.role == role)
    if unit_id:
        query = query.where(User.unit_id == unit_id)
    return db.session.scalars(query).all()


def user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", "找不到该账号")
    return user
