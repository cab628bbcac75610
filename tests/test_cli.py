"""Command line: the plan loads once, the demo is idempotent, accounts can be created."""

from backend.auth.models import User
from backend.classes.models import Session, TrainingClass
from backend.enrollment.models import Enrollment
from backend.extensions import db
from backend.plans.models import PlanYear, Project


def _count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_plan_load_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["plan", "load", "2023"])
    second = runner.invoke(args=["plan", "load", "2023"])
    assert "10 projects added" in first.output and "0 projects added" in second.output
    assert _count(app, Project) == 10
    with app.app_context():
        assert db.session.get(PlanYear, 2023).deadline.isoformat() == "2023-10-10"
    assert runner.invoke(args=["plan", "load", "1999"]).exit_code != 0


def test_demo_runs_twice_without_duplicates(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "create"])
    assert first.exit_code == 0, first.output
    counts = [_count(app, m) for m in (User, TrainingClass, Session, Enrollment, Project)]
    second = runner.invoke(args=["demo", "create"])
    assert second.exit_code == 0
    assert [_count(app, m) for m in (User, TrainingClass, Session, Enrollment, Project)] == counts
    assert counts[:4] == [3, 1, 8, 40]
    with app.app_context():
        training_class = db.session.scalars(db.select(TrainingClass)).one()
    assert training_class.status.value == "approved" and training_class.days == 4
    assert "demo-hust-2023" in first.output and "13900000001" in first.output


def test_demo_log_ins_work(app, client):
    app.test_cli_runner().invoke(args=["demo", "create"])
    response = client.post(
        "/api/v1/auth/login", json={"username": "hust", "password": "demo-hust-2023"}
    )
    assert response.status_code == 200 and response.json["role"] == "organizer"


def test_users_create(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["plan", "load", "2023"])
    result = runner.invoke(
        args=[
            "users",
            "create",
            "whu",
            "--role",
            "organizer",
            "--password",
            "pw-12345678",
            "--unit",
            "武汉大学",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "whu"))
    assert user.role.value == "organizer" and user.check_password("pw-12345678")
    again = runner.invoke(args=["users", "create", "whu", "--role", "admin", "--password", "x"])
    assert again.exit_code != 0
