"""A trainee sees what the system holds; the admin purges a closed class after retention."""

from datetime import datetime, timedelta

from backend.classes.models import TrainingClass
from backend.core.timeutil import utcnow
from backend.enrollment.models import Enrollment, TitleLevel
from backend.extensions import db
from backend.recruitment.models import Application
from backend.reminders.models import Kind, Reminder
from tests.completion.conftest import mark
from tests.conftest import build_world, record_check_ins
from tests.recruitment.helpers import apply, recruiting_class


def test_trainee_sees_own_data_only(app, api, world):
    enrollment_id = next(iter(world.trainees))
    record_check_ins(app, world.session_ids[0], [enrollment_id])
    data = api.get("/me/data", world.trainees[enrollment_id]).json
    assert data["trainee"]["openid"] == f"dev:trainee{enrollment_id}"
    [mine] = data["enrollments"]
    assert mine["name"] == "学员1" and mine["phone"] == "13900000001"
    assert [c["topic"] for c in mine["checkins"]] == ["专题1"]
    assert mine["survey_returned"] is False
    assert "session_key" not in str(data)
    assert api.get("/me/data", world.organizer).status_code == 403


def test_an_applicant_sees_what_the_form_said_and_the_decision(api, world):
    class_id = recruiting_class(api, world)
    token, answer = apply(api, class_id, 7, region="黄冈市", county="红安县")
    assert answer.status_code == 201
    data = api.get("/me/data", token).json
    [application] = data["applications"]
    assert application["class_id"] == class_id and application["status"] == "pending"
    assert (application["name"], application["phone"]) == ("报名人7", "13700000007")
    assert (application["region"], application["county"]) == ("黄冈市", "红安县")
    assert application["title_level"] == "senior" and application["grassroots"] is True
    assert data["enrollments"] == [] and data["certificates"] == []


def test_a_trainee_sees_requests_credits_and_certificates(app, api):
    world = build_world(app, now=utcnow() - timedelta(days=5))  # every session has ended
    first = next(iter(world.trainees))
    token = world.trainees[first]
    asked = api.post(
        "/me/leave-requests",
        token,
        json={"class_id": world.class_id, "session_ids": [world.session_ids[3]], "reason": "出差"},
    )
    assert asked.status_code == 201, asked.json
    accepted = api.post("/me/subscriptions", token, json={"accepted": {"certificate": 2}})
    assert accepted.status_code == 200, accepted.json
    for index in range(3):
        mark(api, world, index, first)
    rule = {"min_attendance": 0.5, "require_survey": False}
    answer = api.put(f"/classes/{world.class_id}/completion-rule", world.organizer, json=rule)
    assert answer.status_code == 200
    assert api.post(f"/classes/{world.class_id}/certificates", world.organizer).json["issued"]
    data = api.get("/me/data", token).json
    [leave] = data["leave_requests"]
    assert leave["reason"] == "出差" and leave["status"] == "pending"
    assert data["subscription_credits"]["certificate"] == 2
    [certificate] = data["certificates"]
    assert certificate["name"] == "学员1" and certificate["revoked_at"] is None
    assert data["enrollments"][0]["checkouts"] == []


def _close_class(app, world, ended_days_ago):
    with app.app_context():
        training_class = db.session.get(TrainingClass, world.class_id)
        training_class.end_date = datetime.now().date() - timedelta(days=ended_days_ago)
        training_class.start_date = training_class.end_date - timedelta(days=3)
        training_class.close()
        db.session.commit()


def test_purge_waits_for_closing_and_the_retention_period(app, api, world):
    refused = api.post(f"/classes/{world.class_id}/purge", world.admin)
    assert refused.status_code == 409  # still approved, not closed
    _close_class(app, world, ended_days_ago=10)
    early = api.post(f"/classes/{world.class_id}/purge", world.admin)
    assert early.status_code == 409 and early.json["error"] == "retention_period"
    assert api.post(f"/classes/{world.class_id}/purge", world.organizer).status_code == 403


def test_purge_blanks_people_but_keeps_the_counts(app, api, world):
    first = next(iter(world.trainees))
    record_check_ins(app, world.session_ids[0], [first])
    _close_class(app, world, ended_days_ago=400)
    response = api.post(f"/classes/{world.class_id}/purge", world.admin)
    assert response.status_code == 200 and response.json == {"purged": 5}
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    assert {r["name"] for r in roster} == {"（已清除）"}
    assert not any(r["phone"].startswith("139") for r in roster)
    assert [r["sessions_attended"] for r in roster].count(1) == 1
    assert all(r["bound"] is False for r in roster)
    assert api.get("/me/classes", world.trainees[first]).json == []
    trail = api.get(f"/audit?class_id={world.class_id}&action=class.purge", world.admin).json
    assert trail[0]["detail"] == {"enrollments": 5, "applications": 0, "reminders": 0}


def test_purge_deletes_the_applications_and_reminders_that_name_a_wechat_user(app, api, world):
    first = next(iter(world.trainees))
    with app.app_context():
        trainee_id = db.session.get(Enrollment, first).trainee_id
        db.session.add_all(
            [
                Application(
                    class_id=world.class_id,
                    trainee_id=trainee_id,
                    name="学员1",
                    phone="13900000001",
                    employer="华中科技大学",
                    title_level=TitleLevel.SENIOR,
                    management_post=False,
                    region="武汉市",
                    grassroots=False,
                    poor_area=False,
                    eligible=True,
                ),
                Reminder(
                    trainee_id=trainee_id,
                    kind=Kind.SESSION_START,
                    target="s1",
                    class_id=world.class_id,
                    data="{}",
                ),
            ]
        )
        db.session.commit()
    _close_class(app, world, ended_days_ago=400)
    assert api.post(f"/classes/{world.class_id}/purge", world.admin).status_code == 200
    with app.app_context():
        assert db.session.scalars(db.select(Application.id)).all() == []
        assert db.session.scalars(db.select(Reminder.id)).all() == []
    trail = api.get(f"/audit?class_id={world.class_id}&action=class.purge", world.admin).json
    assert trail[0]["detail"] == {"enrollments": 5, "applications": 1, "reminders": 1}


def test_purge_masks_names_and_phones_in_free_text(app, api, world):
    """Free text about trainees (#12 item 14) keeps no name nor phone after a purge."""
    from backend.audit.models import AuditEntry
    from backend.checkin.models import AttendanceCorrection
    from backend.classes.models import ChangeNotice
    from backend.exports.models import ReportSection
    from backend.surveys.models import SurveySuggestion
    from tests.conftest import open_survey, record_check_ins
    from tests.surveys.helpers import form

    first, second = list(world.trainees)[:2]
    about = "学员1请假，学员2代签；联系 13900000001 或 139 0000 0002，另 186-1234-5678"
    record_check_ins(app, world.session_ids[0], [first])
    open_survey(api, world)
    response = api.post(
        f"/classes/{world.class_id}/survey/responses",
        world.trainees[first],
        json=form(world.session_ids, suggestions=f"建议：{about}"),
    )
    assert response.status_code == 201
    organizer = world.user_ids["organizer"]
    with app.app_context():
        training_class = db.session.get(TrainingClass, world.class_id)
        training_class.opening_plan = f"班长：{about}"
        db.session.add_all(
            [
                AttendanceCorrection(
                    class_id=world.class_id,
                    session_id=world.session_ids[0],
                    enrollment_id=second,
                    present=True,
                    reason=about,
                    by_user_id=organizer,
                ),
                ChangeNotice(
                    class_id=world.class_id,
                    field="location",
                    old="报告厅",
                    new="会议室",
                    reason=about,
                    by_user_id=organizer,
                ),
                ReportSection(
                    class_id=world.class_id, number=4, text=about, updated_by_id=organizer
                ),
                AuditEntry(
                    action="attendance.correct",
                    class_id=world.class_id,
                    detail={"reason": about, "names": ["学员3"], "n": 1},
                ),
            ]
        )
        db.session.commit()
    _close_class(app, world, ended_days_ago=400)  # the survey closed by itself long ago

    assert api.post(f"/classes/{world.class_id}/purge", world.admin).status_code == 200
    with app.app_context():
        db.session.expire_all()
        texts = [
            db.session.get(TrainingClass, world.class_id).opening_plan,
            *db.session.scalars(db.select(AttendanceCorrection.reason)),
            *db.session.scalars(db.select(ChangeNotice.reason)),
            *db.session.scalars(db.select(ReportSection.text)),
            *db.session.scalars(db.select(SurveySuggestion.text)),
            *(str(d) for d in db.session.scalars(db.select(AuditEntry.detail))),
        ]
    assert len(texts) >= 6
    for text in texts:
        for trace in ("学员1", "学员2", "学员3", "13900000001", "0000 0002", "1234-5678"):
            assert trace not in text, text
    stats = api.get(f"/classes/{world.class_id}/survey/stats", world.admin).json
    assert stats["suggestions"] == [
        "建议：（已清除）请假，（已清除）代签；联系 （已清除） 或 （已清除），另 （已清除）"
    ]
    assert stats["returned"] == 1  # the counts survive
