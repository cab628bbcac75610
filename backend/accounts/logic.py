"""Creating staff accounts: POST /users, `flask users create` and the demo all call this."""

from backend.audit.logic import record
from backend.auth.models import Role, User
from backend.classes.access import LECTURER_NOT_FOUND, lecturer_for
from backend.classes.models import Lecturer
from backend.core.errors import ApiError, validation_failed
from backend.extensions import db
from backend.plans.models import Unit


def _lecturer(caller: User | None, lecturer_id: int) -> Lecturer | None:
    """The lecturer the caller may link an account to: an organizer only its own unit's."""
    if caller is None:
        return db.session.get(Lecturer, lecturer_id)
    return lecturer_for(caller, lecturer_id)


def create_account(data: dict, caller: User | None = None) -> User:
    """A new staff account from data loaded by AccountSchema.

    `caller` is the staff user of an API request (an organizer creates lecturer accounts
    only); None is the command line or the demo, which may create any account.
    Errors: 403 forbidden, 422 for a unit or lecturer that does not exist, 409 username_taken.
    """
    role = Role(data["role"])
    if caller is not None and caller.role == Role.ORGANIZER and role != Role.LECTURER:
        raise ApiError(403, "forbidden", "组织者只能创建授课人账号")
    problems = {}
    if role == Role.ORGANIZER and db.session.get(Unit, data["unit_id"]) is None:
        problems["unit_id"] = ["承办单位不存在"]
    if role == Role.LECTURER and _lecturer(caller, data["lecturer_id"]) is None:
        problems["lecturer_id"] = [LECTURER_NOT_FOUND]  # another unit's reads the same
    if problems:
        raise validation_failed(problems)
    if db.session.scalar(db.select(User.id).where(User.username == data["username"])):
        raise ApiError(409, "username_taken", "用户名已被使用")
    user = User(
        username=data["username"],
        full_name=data.get("full_name", ""),
        role=role,
        unit_id=data["unit_id"] if role == Role.ORGANIZER else None,
        lecturer_id=data["lecturer_id"] if role == Role.LECTURER else None,
    )
    user.set_password(data["password"])
    db.session.add(user)
    db.session.flush()
    record("user.create", username=user.username, role=user.role.value)
    return user
