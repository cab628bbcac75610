"""Reminders other modules queue with their decision: a certificate issued, an application
decided. Queued in the deciding transaction, sent by the next round, once."""

from backend.extensions import db
from backend.recruitment.models import ApplicationStatus
from backend.reminders.logic import application_decided
from tests.completion.conftest import mark
from tests.reminders.conftest import openid_of, reminders_of, sent_to, subscribe, tick


def test_an_issued_certificate_is_announced_once_with_its_number(app, api, ended, wechat):
    world = ended
    first, second, _ = list(world.trainees)
    for enrollment_id in (first, second):
        subscribe(api, world.trainees[enrollment_id], certificate=1)
        for index in range(3):
            mark(api, world, index, enrollment_id)
    rule = {"min_attendance": 0.5, "require_survey": False}
    assert api.put(f"/classes/{world.class_id}/completion-rule", world.organizer, json=rule)
    path = f"/classes/{world.class_id}/certificates"
    assert api.post(path, world.organizer).json["issued"] == 2
    assert api.post(path, world.organizer).json["issued"] == 0

    tick(app)
    tick(app)

    numbers = {c["enrollment_id"]: c["number"] for c in api.get(path, world.organizer).json}
    messages = {m["touser"]: m["data"] for m in sent_to(wechat, "certificate")}
    assert messages == {
        openid_of(app, world, e): {
            "thing1": {"value": "区块链技术数字化工程师高级研修班"},
            "character_string2": {"value": numbers[e]},
            "thing3": {"value": "结业证书已颁发，7.5学时"},
        }
        for e in (first, second)
    }
    assert reminders_of(api, world)[f"certificate:{numbers[first]}"]["sent"] == 1


def _decided(app, world, enrollment_id, decision, times=1):
    from backend.enrollment.models import Enrollment

    with app.app_context():
        trainee_id = db.session.get(Enrollment, enrollment_id).trainee_id
        for _ in range(times):
            application_decided(
                trainee_id, world.class_id, 7, "区块链技术数字化工程师高级研修班", decision, ""
            )
        db.session.commit()


def test_a_decided_application_is_announced_once(app, api, world, wechat):
    enrollment_id = next(iter(world.trainees))
    subscribe(api, world.trainees[enrollment_id], application=1)
    _decided(app, world, enrollment_id, ApplicationStatus.ADMITTED, times=2)  # reported twice

    tick(app)

    [message] = sent_to(wechat, "application")
    assert message["touser"] == openid_of(app, world, enrollment_id)
    assert message["data"]["phrase2"]["value"] == "已录取"
    assert message["data"]["thing3"]["value"] == "请在小程序中查看详情"
    assert reminders_of(api, world)["application:7:admitted"]["sent"] == 1


def test_a_waitlisted_applicant_admitted_later_hears_both(app, api, world, wechat):
    enrollment_id = next(iter(world.trainees))
    subscribe(api, world.trainees[enrollment_id], application=2)
    _decided(app, world, enrollment_id, ApplicationStatus.WAITLISTED)
    tick(app)
    _decided(app, world, enrollment_id, ApplicationStatus.ADMITTED)
    tick(app)

    results = [m["data"]["phrase2"]["value"] for m in sent_to(wechat, "application")]
    assert results == [ApplicationStatus.WAITLISTED.label, "已录取"]
