"""One set of rules for a new staff account, whether made by POST /users, `flask users create`
or the demo."""

import pytest

from backend.auth.models import User
from backend.extensions import db
from backend.plans.models import Unit


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=["users", "create", *args])


def _api(api, world, **body):
    return api.post("/users", world.admin, json=body)


CASES = [
    # (what is wrong, CLI arguments, API body, the field and message both name)
    (
        "short password",
        ["newbie", "--role", "admin", "--password", "short"],
        {"username": "newbie", "role": "admin", "password": "short"},
        ("password", "密码长度应为 8 到 200 个字符"),
    ),
    (
        "bad username",
        ["no spaces allowed", "--role", "admin", "--password", "long-enough-1"],
        {"username": "no spaces allowed", "role": "admin", "password": "long-enough-1"},
        ("username", "3 到 50 个字母、数字或 _ . -"),
    ),
    (
        "unknown lecturer",
        ["lect-x", "--role", "lecturer", "--password", "long-enough-1", "--lecturer-id", "999"],
        {"username": "lect-x", "role": "lecturer", "password": "long-enough-1", "lecturer_id": 999},
        ("lecturer_id", "授课人不存在"),
    ),
    (
        "organizer without unit",
        ["org-x", "--role", "organizer", "--password", "long-enough-1"],
        {"username": "org-x", "role": "organizer", "password": "long-enough-1"},
        ("unit_id", "组织者账号须指定承办单位"),
    ),
]


@pytest.mark.parametrize(("case", "args", "body", "problem"), CASES, ids=[c[0] for c in CASES])
def test_the_api_and_the_command_line_refuse_the_same_accounts(
    app, api, world, case, args, body, problem
):
    field, message = problem
    answer = _api(api, world, **body)
    assert answer.status_code == 422 and answer.json["fields"][field] == [message]
    result = _cli(app, *args)
    assert result.exit_code != 0 and f"{field}: {message}" in result.output
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count()).where(User.username == body["username"]))
            == 0
        )


def test_a_taken_username_is_refused_by_both(app, api, world):
    answer = _api(api, world, username="admin", role="admin", password="long-enough-1")
    assert answer.status_code == 409 and answer.json["error"] == "username_taken"
    result = _cli(app, "admin", "--role", "admin", "--password", "long-enough-1")
    assert result.exit_code != 0 and "用户名已被使用" in result.output


def test_an_unknown_unit_name_is_refused_not_created(app, world):
    result = _cli(
        app,
        "org-new",
        "--role",
        "organizer",
        "--password",
        "long-enough-1",
        "--unit",
        "不存在的单位",
    )
    assert result.exit_code != 0 and "承办单位不存在" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(Unit).where(Unit.name == "不存在的单位")) is None


def test_the_command_line_creates_what_the_api_would(app, api, world):
    result = _cli(
        app,
        "org-whu-2",
        "--role",
        "organizer",
        "--password",
        "long-enough-1",
        "--unit",
        "武汉大学",
        "--name",
        "张老师",
    )
    assert result.exit_code == 0, result.output
    login = api.post("/auth/login", json={"username": "org-whu-2", "password": "long-enough-1"})
    assert login.status_code == 200 and login.json["role"] == "organizer"
    me = api.get("/me", login.json["token"]).json
    assert me["unit"]["name"] == "武汉大学"
