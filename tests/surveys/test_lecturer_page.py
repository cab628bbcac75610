"""The lecturer's page /lecturer in a real browser (headless Chromium) against gunicorn."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import build_world, close_survey, open_survey, page_log_in, record_check_ins
from tests.servers import AppServer
from tests.surveys.helpers import form


@pytest.fixture
def rated(app, api):
    """王建国's first session rated by three trainees: 2 excellent, 1 good; one shared suggestion."""
    world = build_world(app, trainees=3, bound=3)
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    answers = zip(world.trainees.values(), ("excellent", "excellent", "good"), strict=True)
    for i, (token, level) in enumerate(answers):
        body = form(world.session_ids, level=level, suggestions="讲得透彻" if i == 0 else "")
        response = api.post(f"/classes/{world.class_id}/survey/responses", token, json=body)
        assert response.status_code == 201
    close_survey(api, world)
    url = f"/classes/{world.class_id}/survey"
    item = api.get(f"{url}/stats", world.organizer).json["suggestion_items"][0]
    api.post(f"{url}/suggestions/{item['id']}/share", world.organizer)
    return world


def test_the_page_needs_a_lecturers_log_in(client, rated):
    assert client.get("/lecturer").headers["Location"] == "/login?next=/lecturer"
    page_log_in(client, "org-hust")
    assert client.get("/lecturer").status_code == 403


@pytest.mark.slow
def test_a_lecturer_logs_in_and_sees_the_ratings_table(database_url, rated, browser):
    with AppServer(database_url, workers=1) as server:
        page = browser.new_page()
        page.goto(f"{server.url}/lecturer")
        expect(page).to_have_url(re.compile(r"/login\?next=/lecturer$"))
        page.get_by_label("用户名").fill("lect-wang")
        page.get_by_label("密码").fill("lect-wang-password")
        page.get_by_role("button", name="登录").click()
        expect(page).to_have_url(f"{server.url}/lecturer")
        expect(page.get_by_role("heading", name="我的授课评价")).to_be_visible()

        rows = page.locator("#ratings tbody tr")
        expect(rows).to_have_count(2)  # 专题1 and 专题3: 王建国's sessions only
        first = rows.nth(0).locator("td")
        expect(first.nth(1)).to_have_text("专题1")
        expect(first.nth(3)).to_have_text("3")
        excellent, good = first.nth(4), first.nth(5)
        expect(excellent.locator(".count")).to_have_text("2")
        expect(excellent.locator(".rate")).to_have_text("66.7%")
        expect(good.locator(".count")).to_have_text("1")
        expect(good.locator(".rate")).to_have_text("33.3%")
        expect(page.locator("#excellent-rate")).to_have_text("66.7%")
        expect(page.locator("#satisfied-rate")).to_have_text("100.0%")
        expect(page.locator(".suggestions")).to_contain_text("讲得透彻")
        assert "李敏" not in page.content() and "专题2" not in page.content()
