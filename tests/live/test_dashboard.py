"""The dashboards: who may open them, and in headless Chromium the numbers and bars move
after check-ins made through the API."""

import pytest

from tests.conftest import PATIENCE, check_in, close_survey, open_survey, page_log_in
from tests.live.conftest import answer_survey


@pytest.mark.parametrize(
    ("username", "status"),
    [("org-hust", 200), ("admin", 200), ("org-whu", 404), ("lect-wang", 403)],
)
def test_the_class_dashboard_is_for_the_units_staff(client, world, username, status):
    page_log_in(client, username)
    page = client.get(f"/dashboard/classes/{world.class_id}")
    assert page.status_code == status
    if status == 200:
        html = page.get_data(as_text=True)
        assert "区块链技术数字化工程师高级研修班" in html and "学员满意度测评统计表" in html
        assert "<script>" not in html and "data-api-token" in html


def test_the_year_dashboard_is_for_the_admin(client, world):
    assert client.get("/dashboard/plans/2023").status_code == 302  # log in first
    page_log_in(client, "org-hust")
    assert client.get("/dashboard/plans/2023").status_code == 403
    page_log_in(client, "admin")
    assert client.get("/dashboard/plans/2023").status_code == 200
    assert client.get("/dashboard/plans/1999").status_code == 404


def _open(browser, live_server, username: str, path: str):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(f"{live_server}/login?next={path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"{username}-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}{path}")
    return page


def _text(page, selector: str, expected: str, timeout: float = PATIENCE * 1000) -> None:
    page.wait_for_function(
        "([s, t]) => document.querySelector(s) && document.querySelector(s).textContent.trim() === t",
        arg=[selector, expected],
        timeout=timeout,
    )


@pytest.mark.slow
def test_the_class_dashboard_moves_with_check_ins(api, world, live_server, browser, tmp_path):
    page = _open(browser, live_server, "org-hust", f"/dashboard/classes/{world.class_id}")
    _text(page, ".counter [data-field=enrolled]", "5")
    _text(page, ".counter [data-field=attendees]", "0")
    _text(page, "#live-status", "实时")
    first_session = f"tr[data-session-id='{world.session_ids[0]}']"
    assert page.eval_on_selector(f"{first_session} .fill", "e => e.style.width") == "0%"

    trainees = list(world.trainees)
    check_in(api, world, trainees[0])
    _text(page, ".counter [data-field=attendees]", "1")
    _text(page, ".counter [data-field=issued]", "0")  # the survey was never opened
    _text(page, f"{first_session} .checked", "1")
    assert page.eval_on_selector(f"{first_session} .fill", "e => e.style.width") == "20%"
    check_in(api, world, trainees[1])
    _text(page, f"{first_session} .checked", "2")
    assert page.eval_on_selector(f"{first_session} .fill", "e => e.style.width") == "40%"
    _text(page, "[data-field=attendance-rate]", "40.0%")
    assert page.is_hidden("#survey-table")

    open_survey(api, world)
    answer_survey(api, world, trainees[0], "excellent", suggestions="多安排实践课")
    answer_survey(api, world, trainees[1], "good", satisfaction="poor")
    # fewer than two batches: held back while open, all of them shown at closing
    close_survey(api, world)
    _text(page, ".counter [data-field=returned]", "2")
    _text(page, "[data-field=return-rate]", "100.0%")
    satisfaction = "tr[data-key='satisfaction:satisfaction']"
    _text(page, f"{satisfaction} .rate-excellent", "50.0%(1)")
    _text(page, f"{satisfaction} .rate-poor", "50.0%(1)")
    widths = page.eval_on_selector_all(f"{satisfaction} .level", "es => es.map(e => e.style.width)")
    assert widths == ["50%", "0%", "0%", "50%"]
    lecture = f"tr[data-key='faculty:session:{world.session_ids[0]}']"
    assert "专题1" in page.inner_text(lecture) and "王建国" in page.inner_text(lecture)
    _text(page, f"{lecture} .rate-good", "50.0%(1)")
    assert page.inner_text("#suggestions") == "意见与建议\n多安排实践课"
    page.screenshot(path=str(tmp_path / "class-dashboard.png"), full_page=True)


@pytest.mark.slow
def test_the_year_dashboard_moves_with_check_ins(api, world, live_server, browser, tmp_path):
    page = _open(browser, live_server, "admin", "/dashboard/plans/2023")
    row = f"tr[data-class-id='{world.class_id}']"
    _text(page, f"{row} .attendees", "0")
    assert "区块链技术数字化工程师高级研修班" in page.inner_text(row)
    assert "已审核" in page.inner_text(row)
    check_in(api, world, next(iter(world.trainees)))
    _text(page, f"{row} .attendees", "1")
    _text(page, ".counter [data-field=attendees]", "1")
    width = page.eval_on_selector(f"{row} td:nth-child(7) .fill", "e => e.style.width")
    assert width == "20%"  # 1 check-in / (5 enrolled × 1 session started)
    page.screenshot(path=str(tmp_path / "plan-dashboard.png"), full_page=True)
