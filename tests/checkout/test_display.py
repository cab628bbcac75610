"""The projector's check-out page in headless Chromium at 1366 and 390 px wide."""

import os
from pathlib import Path

import pytest

from tests.checkout.test_checkout import end_session, turn_on
from tests.conftest import PATIENCE
from tests.live.conftest import live_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("YANXIU_SHOTS", "/tmp/yanxiu-shots")) / "checkout"


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_the_projector_shows_the_check_out_code(
    app,
    api,
    world,
    live_server,  # noqa: F811
    browser,
    width,
    height,
):
    turn_on(api, world, required=True)
    end_session(app, world.session_ids[0], 10)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("org-hust")
    page.get_by_label("密码").fill("org-hust-password")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server}/classes/{world.class_id}#schedule")
    page.get_by_role("link", name="投屏签退码").first.click()
    qr = page.get_by_role("img", name="签退二维码")
    qr.wait_for()
    loaded = "() => document.querySelector('.qr img').complete && document.querySelector('.qr img').naturalWidth > 0"
    page.wait_for_function(loaded, timeout=PATIENCE * 1000)  # the image itself, decoded
    assert "签退时间" in page.inner_text("body")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"display-{width}.png")
    page.goto(f"{live_server}/display/sessions/{world.session_ids[1]}/checkout")
    assert "签退时间为" in page.get_by_role("status").inner_text()
    page.goto(f"{live_server}/classes/{world.class_id}#attendance")
    page.locator("#attendance").screenshot(path=SHOTS / f"attendance-{width}.png")
    context.close()
