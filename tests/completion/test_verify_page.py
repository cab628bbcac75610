"""The public verification page in headless Chromium, as an employer opens it from the QR."""

import os
from pathlib import Path

import pytest

from tests.completion.conftest import mark

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("YANXIU_SHOTS", "/tmp/yanxiu-shots")) / "completion"


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_an_employer_opens_the_verification_address(
    api, ended, live_server, browser, width, height
):
    world = ended
    trainee_id = list(world.trainees)[0]
    for index in range(4):
        mark(api, world, index, trainee_id)
    api.put(
        f"/classes/{world.class_id}/completion-rule",
        world.organizer,
        json={"min_attendance": 0.5, "require_survey": False},
    )
    api.post(f"/classes/{world.class_id}/certificates", world.organizer)
    mine = api.get("/me/certificates", world.trainees[trainee_id]).json[0]
    code = mine["verify_url"].rsplit("/", 1)[1]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{live_server}/verify/{code}")
    assert page.get_by_role("status").inner_text() == "证书有效"
    facts = page.locator(".verify-facts").inner_text()
    assert (
        "学**" in facts and mine["number"] in facts and "区块链技术数字化工程师高级研修班" in facts
    )
    assert "学员1" not in page.content() and "1390000" not in page.content()
    width_used = page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width  # nothing runs off a phone's screen
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"verify-{width}.png", full_page=True)
    page.goto(f"{live_server}/verify/unknown-code")
    assert page.get_by_role("status").inner_text() == "未找到该证书"
