"""Recruitment (API.md "Recruitment (报名)"): open, apply, review, admit onto the roster."""

import json
from datetime import timedelta

import pytest

from backend.classes.models import TrainingClass
from backend.core.timeutil import today_in_china
from backend.extensions import db
from backend.recruitment import logic
from backend.recruitment.schemas import ApplicationSchema
from tests.conftest import trainee_token
from tests.recruitment.helpers import (
    OTHER_PROJECT,
    applicant,
    apply,
    new_class,
    open_recruitment,
    recruiting_class,
)


def _applications(api, world, class_id, token=None, status=None):
    query = f"?status={status}" if status else ""
    answer = api.get(f"/classes/{class_id}/applications{query}", token or world.organizer)
    assert answer.status_code == 200, answer.json
    return answer.json


def _decide(api, world, application_id, decision, reason=""):
    return api.post(
        f"/applications/{application_id}/decision",
        world.organizer,
        json={"decision": decision, "reason": reason},
    )


def test_opening_defaults_the_quota_to_the_class_size(api, world):
    class_id = new_class(api, world.organizer, capacity=36)
    opened = open_recruitment(api, world.organizer, class_id)
    assert opened["open"] is True and opened["quota"] == 36
    assert opened["closes_at"].endswith("T18:00:00+08:00")
    public = api.get(f"/classes/{class_id}/recruitment", trainee_token(api, "stranger")).json
    assert public["class"]["title"] == "区块链技术数字化工程师高级研修班"
    assert public["class"]["host_unit"].startswith("华中科技大学")
    assert public["notice"] == "面向全省招收" and public["admitted"] == 0


def test_a_class_that_never_recruited_is_404(api, world):
    class_id = new_class(api, world.organizer)
    answer = api.get(f"/classes/{class_id}/recruitment", trainee_token(api, "stranger"))
    assert answer.status_code == 404 and answer.json["message"] == "本班没有招生"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"closes_at": "2020-01-01T18:00:00"}, "closes_at"),
        ({"closes_at": "2099-01-01T18:00:00"}, "closes_at"),
        ({"quota": 0}, "quota"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(api, world, body, field):
    class_id = new_class(api, world.organizer)
    closes = (today_in_china() + timedelta(days=3)).isoformat()
    answer = api.post(
        f"/classes/{class_id}/recruitment",
        world.organizer,
        json={"closes_at": f"{closes}T18:00:00", **body},
    )
    assert answer.status_code == 422 and field in answer.json["fields"]
    assert api.get(f"/classes/{class_id}/recruitment", world.organizer).status_code == 404


def test_an_eligible_application_is_pending_without_notes(api, world):
    class_id = recruiting_class(api, world)
    token, answer = apply(api, class_id, 1)
    assert answer.status_code == 201, answer.json
    assert answer.json["status"] == "pending" and answer.json["eligible"] is True
    assert answer.json["notes"] == []
    mine = api.get("/me/applications", token).json
    assert [(a["class_id"], a["status"]) for a in mine] == [(class_id, "pending")]
    listed = _applications(api, world, class_id)[0]
    assert listed["region"] == "恩施土家族苗族自治州" and listed["phone"] == "13700000001"


@pytest.mark.parametrize(
    ("title_level", "management_post", "eligible"),
    [
        ("senior", False, True),
        ("intermediate", False, True),
        ("junior", True, True),
        ("junior", False, False),
        ("none", False, False),
    ],
)
def test_eligibility_is_a_title_or_a_management_post(
    api, world, title_level, management_post, eligible
):
    class_id = recruiting_class(api, world)
    _, answer = apply(api, class_id, 2, title_level=title_level, management_post=management_post)
    assert answer.status_code == 201 and answer.json["eligible"] is eligible
    if eligible:
        assert answer.json["notes"] == []
    else:
        assert "中高级职称" in answer.json["notes"][0] and "管理岗位" in answer.json["notes"][0]


def test_short_forms_of_divisions_read_as_their_full_names(api, world):
    class_id = recruiting_class(api, world)
    apply(api, class_id, 1, region="神农架")
    apply(api, class_id, 2, region="湖北省武汉市")
    regions = {a["name"]: a["region"] for a in _applications(api, world, class_id)}
    assert regions == {"报名人1": "神农架林区", "报名人2": "武汉市"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"region": "长沙市"}, "region"),
        ({"region": ""}, "region"),
        ({"phone": "12345"}, "phone"),
        ({"title_level": "博士"}, "title_level"),
        ({"grassroots": "也许"}, "grassroots"),
        ({"employer": ""}, "employer"),
        ({"attendance_mode": "online"}, "attendance_mode"),  # an offline class
    ],
)
def test_a_bad_form_names_the_field_and_adds_nothing(api, world, fields, field):
    class_id = recruiting_class(api, world)
    token, answer = apply(api, class_id, 3, **fields)
    assert answer.status_code == 422 and field in answer.json["fields"], answer.json
    assert all(
        "\u4e00" <= ch <= "\u9fff" or not ch.isalpha() for ch in answer.json["fields"][field][0][:2]
    )
    assert api.get("/me/applications", token).json == []


def test_one_live_application_per_wechat_user_and_class(api, world):
    class_id = recruiting_class(api, world)
    token, first = apply(api, class_id, 1)
    again = api.post(f"/classes/{class_id}/applications", token, json=applicant(1))
    assert again.status_code == 409 and again.json["error"] == "already_applied"
    assert api.delete(f"/me/applications/{first.json['id']}", token).json == {"status": "withdrawn"}
    after = api.post(f"/classes/{class_id}/applications", token, json=applicant(1))
    assert after.status_code == 201


def test_closed_recruitment_refuses_applications(api, world):
    class_id = recruiting_class(api, world)
    closed = api.delete(f"/classes/{class_id}/recruitment", world.organizer)
    assert closed.status_code == 200 and closed.json["open"] is False
    _, answer = apply(api, class_id, 1)
    assert answer.status_code == 409 and answer.json["error"] == "recruitment_closed"


def test_admitting_puts_the_applicant_on_the_roster_already_bound(api, world):
    class_id = recruiting_class(api, world)
    token, answer = apply(api, class_id, 1)
    decided = _decide(api, world, answer.json["id"], "admit", "符合条件")
    assert decided.status_code == 200 and decided.json["status"] == "admitted"
    roster = api.get(f"/classes/{class_id}/trainees", world.organizer).json
    assert [(r["name"], r["bound"], r["region"], r["title_level"]) for r in roster] == [
        ("报名人1", True, "恩施土家族苗族自治州", "senior")
    ]
    mine = api.get("/me/classes", token).json
    assert [c["id"] for c in mine] == [class_id]
    assert api.get("/me/applications", token).json[0]["reason"] == "符合条件"
    assert api.get(f"/classes/{class_id}/recruitment", token).json["admitted"] == 1


def test_the_quota_bounds_admission_and_a_withdrawal_frees_the_seat(api, world):
    class_id = recruiting_class(api, world, quota=2)
    applied = [apply(api, class_id, n) for n in (1, 2, 3)]
    ids = [answer.json["id"] for _, answer in applied]
    assert [_decide(api, world, i, "admit").status_code for i in ids[:2]] == [200, 200]
    full = _decide(api, world, ids[2], "admit")
    assert full.status_code == 409 and full.json["error"] == "class_full"
    assert _decide(api, world, ids[2], "waitlist", "名额已满，候补").status_code == 200
    waiting = _applications(api, world, class_id, status="waitlisted")
    assert [a["name"] for a in waiting] == ["报名人3"]
    first_token = applied[0][0]
    assert api.delete(f"/me/applications/{ids[0]}", first_token).status_code == 200
    assert [r["name"] for r in api.get(f"/classes/{class_id}/trainees", world.organizer).json] == [
        "报名人2"
    ]
    assert _decide(api, world, ids[2], "admit").status_code == 200


def test_an_admitted_applicant_cannot_withdraw_once_the_class_started(api, world):
    # the world's class started yesterday and ends the day after tomorrow
    closes = (today_in_china() + timedelta(days=1)).isoformat()
    open_recruitment(api, world.organizer, world.class_id, closes_at=f"{closes}T18:00:00")
    token, answer = apply(api, world.class_id, 1)
    assert _decide(api, world, answer.json["id"], "admit").status_code == 200
    refused = api.delete(f"/me/applications/{answer.json['id']}", token)
    assert refused.status_code == 409 and refused.json["error"] == "class_started"
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    assert "报名人1" in [r["name"] for r in roster]


def test_deciding_a_withdrawn_application_is_an_invalid_transition(api, world):
    class_id = recruiting_class(api, world)
    token, answer = apply(api, class_id, 1)
    api.delete(f"/me/applications/{answer.json['id']}", token)
    refused = _decide(api, world, answer.json["id"], "admit")
    assert refused.status_code == 409 and refused.json["error"] == "invalid_transition"
    again = api.delete(f"/me/applications/{answer.json['id']}", token)
    assert again.status_code == 409 and again.json["error"] == "invalid_transition"


def test_moving_an_admitted_applicant_to_the_waiting_list_takes_them_off_the_roster(api, world):
    class_id = recruiting_class(api, world, quota=1)
    _, answer = apply(api, class_id, 1)
    _decide(api, world, answer.json["id"], "admit")
    assert _decide(api, world, answer.json["id"], "waitlist", "改为候补").status_code == 200
    assert api.get(f"/classes/{class_id}/trainees", world.organizer).json == []
    assert api.get(f"/classes/{class_id}/recruitment", world.organizer).json["admitted"] == 0


def test_admin_sees_phones_masked_and_cannot_decide(api, world):
    class_id = recruiting_class(api, world)
    _, answer = apply(api, class_id, 1)
    listed = _applications(api, world, class_id, token=world.admin)
    assert listed[0]["phone"] == "137****0001"
    refused = api.post(
        f"/applications/{answer.json['id']}/decision", world.admin, json={"decision": "admit"}
    )
    assert refused.status_code == 403
    other = api.post(
        f"/applications/{answer.json['id']}/decision",
        world.other_organizer,
        json={"decision": "admit"},
    )
    assert other.status_code == 404


def test_a_person_in_two_classes_of_the_year_is_flagged_for_both_organizers(api, world):
    ours = recruiting_class(api, world)
    theirs = new_class(api, world.other_organizer, project=OTHER_PROJECT)
    open_recruitment(api, world.other_organizer, theirs)
    token, _ = apply(api, ours, 7)
    again = api.post(f"/classes/{theirs}/applications", token, json=applicant(7))
    assert again.status_code == 201  # flagged, not refused
    mine = _applications(api, world, ours)[0]["also_in"]
    assert [(c["class_id"], c["how"]) for c in mine] == [(theirs, "applied")]
    seen_there = api.get(f"/classes/{theirs}/applications", world.other_organizer).json
    assert [c["class_id"] for c in seen_there[0]["also_in"]] == [ours]


def test_composition_counts_applicants_and_roster(api, world):
    class_id = recruiting_class(api, world)
    _, first = apply(api, class_id, 1)
    apply(
        api, class_id, 2, title_level="junior", grassroots=False, poor_area=False, region="武汉市"
    )
    token, third = apply(api, class_id, 3, management_post=True, title_level="none")
    api.delete(f"/me/applications/{third.json['id']}", token)
    _decide(api, world, first.json["id"], "admit")
    api.post(
        f"/classes/{class_id}/trainees",
        world.organizer,
        json=[{"name": "导入", "phone": "13600000001", "region": "黄冈", "title_level": "中级"}],
    )
    answer = api.get(f"/classes/{class_id}/composition", world.admin)
    assert answer.status_code == 200
    applicants, roster = answer.json["applicants"], answer.json["roster"]
    assert applicants["total"] == 2  # the withdrawn one is not counted
    assert applicants["title_level"] == {"senior": 1, "intermediate": 0, "junior": 1, "none": 0}
    assert (applicants["eligible"], applicants["grassroots"], applicants["poor_area"]) == (1, 1, 1)
    assert applicants["regions"] == {"武汉市": 1, "恩施土家族苗族自治州": 1}
    assert roster["total"] == 2 and roster["regions"] == {
        "黄冈市": 1,
        "恩施土家族苗族自治州": 1,
    }
    assert roster["title_level"]["intermediate"] == 1 and roster["eligible"] == 2
    assert roster["regions_covered"] == 2


def test_roster_rows_refuse_a_region_outside_hubei(api, world):
    answer = api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        json=[{"name": "外省", "phone": "13600000002", "region": "长沙市"}],
    )
    assert answer.status_code == 422 and "地区" in answer.json["fields"]["1"][0]


def test_the_list_answers_exactly_what_the_application_schema_dumps(app, api, world):
    """The list is written by PlainDump for speed; its JSON is ApplicationSchema's, to the key."""
    ours = recruiting_class(api, world)
    theirs = new_class(api, world.other_organizer, project=OTHER_PROJECT)
    open_recruitment(api, world.other_organizer, theirs)
    token, first = apply(api, ours, 1, title_level="junior")  # ineligible: a note
    api.post(f"/classes/{theirs}/applications", token, json=applicant(1))
    apply(api, ours, 2)
    decided = _decide(api, world, first.json["id"], "admit", "同意")
    listed = _applications(api, world, ours)
    with app.app_context():
        training_class = db.session.get(TrainingClass, ours)
        views = logic.applications_view(training_class, None, full_phones=True)
        assert listed == json.loads(json.dumps(ApplicationSchema(many=True).dump(views)))
    assert decided.json == listed[0]
    assert (
        listed[0]["notes"] and listed[0]["also_in"] and listed[0]["decided_at"].endswith("+08:00")
    )
    assert listed[1]["decided_at"] is None and listed[1]["enrollment_id"] is None
