"""The 结业与证书 page and the province's certificate search, as staff use them."""

from tests.completion.conftest import mark
from tests.conftest import csrf_of, page_log_in


def test_the_organizer_sets_the_rule_issues_and_revokes_on_the_page(client, api, ended):
    world = ended
    first = list(world.trainees)[0]
    for index in range(4):
        mark(api, world, index, first)
    page_log_in(client, "org-hust")
    page = client.get(f"/classes/{world.class_id}/completion").get_data(as_text=True)
    assert "学员结业情况" in page and "未提交满意度测评表" in page
    assert "最后一次课程结束后才能颁发" not in page
    csrf = csrf_of(page)
    saved = client.post(
        f"/classes/{world.class_id}/completion/rule",
        data={"csrf": csrf, "min_attendance": "0.75", "require_survey": "false"},
    )
    assert saved.status_code == 302
    bad = client.post(
        f"/classes/{world.class_id}/completion/rule",
        data={"csrf": csrf, "min_attendance": "1.5", "require_survey": "false"},
    )
    assert bad.status_code == 422
    assert "出勤率要求须在 0 到 1 之间" in bad.get_data(as_text=True)
    issued = client.post(f"/classes/{world.class_id}/completion/certificates", data={"csrf": csrf})
    assert issued.status_code == 302
    page = client.get(f"/classes/{world.class_id}/completion").get_data(as_text=True)
    assert "新颁发结业证书 1 份，本班共 1 份" in page
    number = api.get(f"/classes/{world.class_id}/certificates", world.organizer).json[0]["number"]
    assert f"/api/v1/certificates/{number}.pdf" in page
    pdf = client.get(f"/api/v1/certificates/{number}.pdf")  # the page session's link
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    empty = client.post(f"/certificates/{number}/revoke", data={"csrf": csrf, "reason": ""})
    assert empty.status_code == 422
    revoked = client.post(f"/certificates/{number}/revoke", data={"csrf": csrf, "reason": "误发"})
    assert revoked.status_code == 302
    listed = api.get(f"/classes/{world.class_id}/certificates", world.organizer).json
    assert listed[0]["revoked"] is True and listed[0]["revoked_reason"] == "误发"


def test_other_units_and_lecturers_cannot_open_the_page(client, ended):
    page_log_in(client, "org-whu")
    assert client.get(f"/classes/{ended.class_id}/completion").status_code == 404
    client.post("/logout", data={"csrf": csrf_of(client.get("/").get_data(as_text=True))})
    page_log_in(client, "lect-wang")
    assert client.get(f"/classes/{ended.class_id}/completion").status_code == 403


def test_the_province_finds_a_certificate_by_name(client, api, ended):
    world = ended
    first = list(world.trainees)[0]
    for index in range(4):
        mark(api, world, index, first)
    api.put(
        f"/classes/{world.class_id}/completion-rule",
        world.organizer,
        json={"min_attendance": 0.5, "require_survey": False},
    )
    api.post(f"/classes/{world.class_id}/certificates", world.organizer)
    page_log_in(client, "admin")
    page = client.get("/certificates?q=学员1").get_data(as_text=True)
    assert "区块链技术数字化工程师高级研修班" in page and "有效" in page
    none = client.get("/certificates?q=不存在的人").get_data(as_text=True)
    assert "没有找到符合条件的证书" in none
