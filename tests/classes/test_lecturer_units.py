"""Lecturers belong to the unit that created them (#12 item 3).

The attack: organizer B creates a log-in for a lecturer who teaches only for unit A, then
reads that lecturer's ratings and unit A's class with its opening plan.
"""

from tests.conftest import close_survey, open_survey, record_check_ins
from tests.surveys.helpers import form


def _lecturer_account(api, token, lecturer_id: int, username: str = "lect-stolen"):
    return api.post(
        "/users",
        token,
        json={
            "username": username,
            "password": "stolen-password-1",
            "role": "lecturer",
            "lecturer_id": lecturer_id,
        },
    )


def _log_in(api, username: str, password: str):
    return api.post("/auth/login", json={"username": username, "password": password})


def test_another_units_organizer_cannot_take_over_a_lecturer(app, api, world):
    # unit A (华中科技大学) has ratings for 王建国
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    for token in world.trainees.values():
        url = f"/classes/{world.class_id}/survey/responses"
        assert api.post(url, token, json=form(world.session_ids, level="poor")).status_code == 201
    close_survey(api, world)
    assert api.get("/me/ratings", world.lecturer).json[0]["hidden"] is False

    # organizer B (武汉大学) tries to make a log-in for unit A's lecturer
    response = _lecturer_account(api, world.other_organizer, world.lecturer_ids[0])
    assert response.status_code == 422
    assert response.json["fields"] == {"lecturer_id": ["授课人不存在"]}
    # the same answer as for a lecturer that does not exist: nothing to learn
    missing = _lecturer_account(api, world.other_organizer, 999999)
    assert missing.status_code == 422 and missing.json["fields"] == response.json["fields"]
    # so there is no account to read /me/ratings or GET /classes/{id} with
    login = _log_in(api, "lect-stolen", "stolen-password-1")
    assert login.status_code == 401
    # the admin can do anything, the unit's own organizer for its own lecturer too
    assert _lecturer_account(api, world.admin, world.lecturer_ids[0], "lect-a").status_code == 201
    own = _lecturer_account(api, world.organizer, world.lecturer_ids[1], "lect-b")
    assert own.status_code == 201
    token = _log_in(api, "lect-b", "stolen-password-1").json["token"]
    assert api.get(f"/classes/{world.class_id}", token).status_code == 200


def test_an_organizer_sees_and_uses_only_its_own_units_lecturers(api, world):
    created = api.post("/lecturers", world.other_organizer, json={"name": "赵老师"})
    assert created.status_code == 201
    whu_lecturer = created.json
    assert whu_lecturer["unit_id"] not in (None, hust_unit(api, world))
    names = {lec["name"] for lec in api.get("/lecturers", world.other_organizer).json}
    assert names == {"赵老师"}
    names = {lec["name"] for lec in api.get("/lecturers", world.organizer).json}
    assert names == {"王建国", "李敏"}
    assert len(api.get("/lecturers", world.admin).json) == 3

    # unit A's organizer cannot schedule unit B's lecturer, nor move a session to them
    session = api.get(f"/classes/{world.class_id}/schedule", world.organizer).json["sessions"][1]
    body = {
        "topic": "借用讲师",
        "lecturer_id": whu_lecturer["id"],
        "starts_at": session["starts_at"],
        "ends_at": session["ends_at"],
    }
    added = api.post(f"/classes/{world.class_id}/sessions", world.organizer, json=body)
    assert added.status_code == 422 and set(added.json["fields"]) == {"lecturer_id"}
    moved = api.patch(
        f"/sessions/{session['id']}",
        world.organizer,
        json={"lecturer_id": whu_lecturer["id"], "reason": "调整"},
    )
    assert moved.status_code == 422 and set(moved.json["fields"]) == {"lecturer_id"}
    # nor create one for another unit
    other_unit = api.post(
        "/lecturers", world.organizer, json={"name": "钱老师", "unit_id": whu_lecturer["unit_id"]}
    )
    assert other_unit.status_code == 422 and set(other_unit.json["fields"]) == {"unit_id"}
    # the admin can
    assert (
        api.post(f"/classes/{world.class_id}/sessions", world.admin, json=body).status_code == 201
    )


def hust_unit(api, world) -> int:
    """The unit of 华中科技大学's lecturers, as the admin reads it."""
    lecturers = api.get("/lecturers", world.admin).json
    return next(lec["unit_id"] for lec in lecturers if lec["name"] == "王建国")


def test_the_migration_gives_existing_lecturers_the_one_unit_they_teach_for(app, world):
    """0131 on existing data: one unit taught for → that unit; several or none → admin's."""
    from datetime import timedelta

    import sqlalchemy as sa

    from backend.classes.models import ClassMode, Lecturer, Session, TrainingClass
    from backend.extensions import db
    from backend.plans.models import Project

    both = Lecturer(name="跨单位讲师")
    idle = Lecturer(name="未授课讲师")
    with app.app_context():
        db.session.add_all([both, idle])
        db.session.flush()
        hust_session = db.session.get(Session, world.session_ids[0])
        whu_project = db.session.scalar(
            db.select(Project).where(Project.name == "北斗定位与多源导航新技术高级研修班")
        )
        whu_class = TrainingClass(
            project=whu_project,
            location="武汉大学",
            start_date=hust_session.starts_at.date(),
            end_date=hust_session.starts_at.date() + timedelta(days=2),
            capacity=40,
            mode=ClassMode.HYBRID,
        )
        db.session.add(whu_class)
        db.session.flush()
        for class_id in (world.class_id, whu_class.id):
            db.session.add(
                Session(
                    class_id=class_id,
                    topic="共同专题",
                    lecturer_id=both.id,
                    starts_at=hust_session.starts_at,
                    ends_at=hust_session.ends_at,
                )
            )
        db.session.commit()
        ids = {"王建国": world.lecturer_ids[0], "跨单位讲师": both.id, "未授课讲师": idle.id}
        hust = db.session.get(Lecturer, world.lecturer_ids[0]).unit_id
        db.session.execute(sa.update(Lecturer).values(unit_id=None))  # as before the migration
        db.session.execute(sa.text(_migration("0012").BACKFILL))
        db.session.commit()
        units = {name: db.session.get(Lecturer, i).unit_id for name, i in ids.items()}
    assert units == {"王建国": hust, "跨单位讲师": None, "未授课讲师": None}


def _migration(revision: str):
    """The migration module of a revision (its file is named after the revision)."""
    import importlib.util
    from pathlib import Path

    [path] = Path(__file__).parents[2].glob(f"migrations/versions/*_{revision}_*.py")
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_class_page_offers_only_the_units_own_lecturers(client, api, world):
    from tests.conftest import page_log_in

    api.post("/lecturers", world.other_organizer, json={"name": "赵老师"})
    page_log_in(client, "org-hust")
    page = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert "王建国" in page and "李敏" in page
    assert "赵老师" not in page
