"""The class page's 学员名单 (unbind), 签到情况 (relay flags) and 满意度测评 (issued, received,
counted, who has not answered) sections, through the page as the organizer uses it."""

import re

from tests.conftest import (
    build_world,
    close_survey,
    csrf_of,
    open_survey,
    page_log_in,
    record_check_ins,
)
from tests.surveys.helpers import form


def text(response) -> str:
    return response.get_data(as_text=True)


def page_of(client, world) -> str:
    return text(client.get(f"/classes/{world.class_id}"))


def roster_row(api, world, enrollment_id: int) -> dict:
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    return next(r for r in roster if r["enrollment_id"] == enrollment_id)


def test_the_organizer_unbinds_a_trainee_from_the_roster(client, api, world):
    page_log_in(client, "org-hust")
    page = page_of(client, world)
    actions = re.findall(r'action="(/classes/\d+/trainees/(\d+)/unbind)"', page)
    assert sorted(int(e) for _, e in actions) == sorted(world.trainees)  # bound ones only
    assert page.count('<summary class="button danger">解除绑定</summary>') == len(world.trainees)
    first = next(iter(world.trainees))
    url = f"/classes/{world.class_id}/trainees/{first}/unbind"

    assert client.post(url).status_code == 400  # no CSRF token: nothing changes
    assert roster_row(api, world, first)["bound"] is True

    done = client.post(url, data={"csrf": csrf_of(page)})
    assert done.status_code == 302 and done.headers["Location"].endswith("#roster")
    after = page_of(client, world)
    assert "已解除“学员1”的小程序绑定" in after
    assert roster_row(api, world, first)["bound"] is False
    assert f"/trainees/{first}/unbind" not in after
    # the freed WeChat user no longer opens the class
    assert api.get("/me/classes", world.trainees[first]).json == []


def test_only_the_units_organizer_may_unbind(client, api, world):
    first = next(iter(world.trainees))
    url = f"/classes/{world.class_id}/trainees/{first}/unbind"
    for username, status in (("org-whu", 404), ("admin", 403)):
        page_log_in(client, username)
        token = csrf_of(text(client.get("/")))
        assert client.post(url, data={"csrf": token}).status_code == status, username
    assert roster_row(api, world, first)["bound"] is True
    page_log_in(client, "admin")
    assert "/unbind" not in page_of(client, world)


def test_an_unknown_trainee_is_refused_in_chinese(client, world):
    page_log_in(client, "org-hust")
    token = csrf_of(page_of(client, world))
    answer = client.post(f"/classes/{world.class_id}/trainees/999999/unbind", data={"csrf": token})
    assert answer.status_code == 404 and "本班名单中没有该学员" in text(answer)


def _scan_from(api, world, trainee: str, token: str, address: str) -> None:
    answer = api.post(
        "/checkins", trainee, json={"token": token}, environ_base={"REMOTE_ADDR": address}
    )
    assert answer.status_code == 201, answer.json


def test_relayed_check_ins_are_marked_in_the_grid_with_a_legend(app, client, api):
    world = build_world(app, trainees=10, bound=10)
    code = api.get(f"/sessions/{world.session_ids[0]}/checkin-code", world.organizer).json
    trainees = list(world.trainees.values())
    for trainee in trainees[:6]:
        _scan_from(api, world, trainee, code["token"], "10.0.0.1")
    for trainee in trainees[6:9]:  # one hotspot outside checks in three within seconds
        _scan_from(api, world, trainee, code["token"], "203.0.113.5")
    page_log_in(client, "org-hust")
    page = page_of(client, world)
    grid = page[page.index('id="attendance"') : page.index('id="survey"')]
    assert "疑似代签：同一网络地址在 30 秒内为至少 3 名学员签到" in grid  # the legend
    flagged = re.findall(r'<th scope="row">(学员\d+)</th>(.*?)</tr>', grid, re.S)
    marked = {name for name, row in flagged if 'class="flag" title="疑似代签' in row}
    assert marked == {"学员7", "学员8", "学员9"}
    assert "请假" in grid  # the legend keeps the excused state's label
    # sessions 2–4 have not started: 未开始, not 缺勤, and no correction can be ticked
    later = [f'value="{s}:' for s in world.session_ids[1:]]
    boxes = re.findall(r'<input type="checkbox" name="cell" value="(\d+):\d+"( disabled)?>', grid)
    assert {bool(off) for sid, off in boxes if f'value="{sid}:' in later} == {True}
    assert {bool(off) for sid, off in boxes if int(sid) == world.session_ids[0]} == {False}
    assert grid.count("未开始</span>") == 3 * 10 + 1  # each later cell, and the legend


def test_the_survey_section_tells_received_from_counted_and_who_has_not_answered(
    app, client, api, world
):
    record_check_ins(app, world.session_ids[0], world.trainees)
    page_log_in(client, "org-hust")
    before = page_of(client, world)
    assert "测评状态：<strong>未开启</strong>" in before
    assert "测评开启后，这里列出已签到但尚未提交测评的学员" in before

    open_survey(api, world)
    tokens = list(world.trainees.values())
    for token in tokens[:2]:
        answer = api.post(
            f"/classes/{world.class_id}/survey/responses", token, json=form(world.session_ids)
        )
        assert answer.status_code == 201
    page = page_of(client, world)
    section = page[page.index('id="survey"') : page.index('id="downloads"')]
    assert "发放</dt><dd>3 份" in section
    assert "已收回 2 份，已计入统计 0 份" in section
    assert "答卷每满 5 份计入一次" in section and "关闭测评后全部计入" in section
    assert "尚未提交测评的学员（1 人）" in section
    assert "学员3" in section and "学员1" not in section and "学员2" not in section

    close_survey(api, world)
    closed = page_of(client, world)
    section = closed[closed.index('id="survey"') : closed.index('id="downloads"')]
    assert "测评状态：<strong>已关闭</strong>" in section
    assert "已收回 2 份，已计入统计 2 份" in section


def test_the_organizer_sets_a_sessions_credit_hours_on_its_page(client, api, world):
    page_log_in(client, "org-hust")
    session_id = world.session_ids[0]
    edit = f"/sessions/{session_id}/edit"
    before = api.get(f"/classes/{world.class_id}/schedule", world.organizer).json["sessions"][0]
    form_page = text(client.get(edit))
    assert "学时" in form_page and "不填则按时长计：每 45 分钟 1 学时" in form_page
    assert f"本次按时长为 {before['credit_hours']:g}" in form_page

    wrong = client.post(
        edit, data={"credit_hours": "1.3", "reason": "调整", "csrf": csrf_of(form_page)}
    )
    assert wrong.status_code == 422 and "学时须为 0.5 的整数倍" in text(wrong)
    after_wrong = api.get(f"/classes/{world.class_id}/schedule", world.organizer).json
    assert after_wrong["sessions"][0]["credit_hours"] == before["credit_hours"]

    saved = client.post(
        edit, data={"credit_hours": "2.5", "reason": "按实际授课计", "csrf": csrf_of(form_page)}
    )
    assert saved.status_code == 302
    schedule = api.get(f"/classes/{world.class_id}/schedule", world.organizer).json
    assert schedule["sessions"][0]["credit_hours"] == 2.5
    row = re.search(r'<td data-label="学时">([^<]*)', page_of(client, world)).group(1)
    assert row.strip() == "2.5"
