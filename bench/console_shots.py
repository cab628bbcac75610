"""Screenshots of every console page at 1366 and 390 px wide, to be looked at: the demo of
`make run` (a class running today, 40 trainees) with some trainees bound, check-ins of the
first session (three relayed from one hotspot, one corrected by hand) and an empty draft
class for the empty states. Headless Chromium (/usr/bin/chromium) through Playwright; the
PNGs go to a temporary folder (printed), never into git.

    .venv/bin/python bench/console_shots.py [--out /tmp/console-shots]
"""

import argparse
import sys
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from bench.exports import config, database  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}
PASSWORDS = {"hust": "demo-hust-2023", "admin": "demo-admin-2023", "lecturer": "demo-lecturer-2023"}
SECTIONS = ["overview", "plan", "schedule", "roster", "attendance", "survey", "downloads",
            "budget", "report", "paperwork"]  # fmt: skip
#: The innermost elements that stick out of the window on the right (a page too wide).
OVERFLOW = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
               && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1)
               && !(e.closest('.table-wrap') && e.closest('.table-wrap').getBoundingClientRect().right <= window.innerWidth + 1))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 30))"""


def build() -> dict:
    """The demo, a little attendance on its first session, and an empty draft class."""
    from backend.auth.models import Trainee, User
    from backend.checkin.models import CheckIn, CheckInSource
    from backend.classes.models import ClassMode, Session, TrainingClass
    from backend.core.timeutil import today_in_china, utcnow
    from backend.demo import HOST_UNIT, _current_plan, create_demo
    from backend.enrollment.models import Enrollment
    from backend.plans.logic import add_project
    from backend.plans.models import Funding

    summary = create_demo()
    class_id = summary["class_id"]
    entries = db.session.scalars(
        db.select(Enrollment).where(Enrollment.class_id == class_id).order_by(Enrollment.id)
    ).all()
    first = db.session.scalar(
        db.select(Session).where(Session.class_id == class_id).order_by(Session.starts_at)
    )
    organizer = db.session.scalar(db.select(User).where(User.username == "hust"))
    organizer.full_name = "张明"
    started = min(utcnow(), first.starts_at + timedelta(minutes=10))
    for index, entry in enumerate(entries[:30]):
        trainee = Trainee(openid=f"shots:{entry.id}")
        db.session.add(trainee)
        db.session.flush()
        entry.trainee_id = trainee.id
        relayed = index in (20, 21, 22)
        db.session.add(
            CheckIn(
                class_id=class_id,
                session_id=first.id,
                enrollment_id=entry.id,
                checked_in_at=started + timedelta(seconds=(3 * index if relayed else 40 * index)),
                late=index in (5, 6),
                source=CheckInSource.MANUAL if index == 9 else CheckInSource.QR,
                corrected_by_id=organizer.id if index == 9 else None,
                reason="学员手机没电，现场核实到课" if index == 9 else "",
                mode=entry.attendance_mode,
                client_addr="203.0.113.5" if relayed else "10.0.0.1",
            )
        )
    project = add_project(
        _current_plan(),
        {
            "name": "数字乡村治理高级研修班",
            "applicant_unit": HOST_UNIT,
            "host_unit": HOST_UNIT,
            "funding": Funding.SELF,
        },
    )
    start = today_in_china() + timedelta(days=20)
    empty = TrainingClass(
        project=project,
        location="华中科技大学",
        start_date=start,
        end_date=start + timedelta(days=3),
        capacity=40,
        mode=ClassMode.OFFLINE,
    )
    db.session.add(empty)
    db.session.commit()
    return {"class_id": class_id, "session_id": first.id, "empty_id": empty.id}


def pages(ids: dict, year: int) -> dict[str, list[tuple[str, str]]]:
    """(name, path) of every page, per account."""
    c, e, s = ids["class_id"], ids["empty_id"], ids["session_id"]
    return {
        "hust": [
            ("organizer-home", "/"),
            ("class-new", "/classes/new"),
            ("class-edit", f"/classes/{c}/edit"),
            ("class-page", f"/classes/{c}"),
            ("class-page-empty", f"/classes/{e}"),
            ("session-edit", f"/sessions/{s}/edit"),
            ("completion", f"/classes/{c}/completion"),
            ("dashboard", f"/dashboard/classes/{c}"),
            ("projector", f"/display/sessions/{s}"),
        ],
        "admin": [
            ("admin-home", "/"),
            ("admin-class-page", f"/classes/{c}"),
            ("plans", "/plans"),
            ("plan-year", f"/plans/{year}"),
            ("plan-setup", f"/plans/{year}/setup"),
            ("approvals", "/approvals"),
            ("accounts", "/accounts"),
            ("audit", "/audit"),
            ("purge", "/purge"),
            ("year-dashboard", f"/dashboard/plans/{year}"),
        ],
        "lecturer": [("lecturer", "/lecturer")],
    }


def log_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/login" in page.url:
        raise SystemExit(f"{username} could not log in: {page.locator('main').inner_text()}")
    return page


def shoot(browser, base: str, ids: dict, year: int, out: Path) -> list[Path]:
    shots = []
    for viewport, (width, height) in VIEWPORTS.items():
        size = {"width": width, "height": height}
        context = browser.new_context(viewport=size, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{base}/login")
        shots.append(out / f"{viewport}-login.png")
        page.screenshot(path=str(shots[-1]), full_page=True)
        context.close()
        for user, visits in pages(ids, year).items():
            context = browser.new_context(viewport=size, locale="zh-CN")
            page = log_in(context, base, user)
            for name, path in visits:
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                page_width = page.evaluate("document.documentElement.scrollWidth")
                if page_width > width:
                    print(f"{viewport} {path}: the page is {page_width} px wide")
                for culprit in page.evaluate(OVERFLOW):
                    print(f"{viewport} {path}: wider than the window: {culprit}")
                shots.append(out / f"{viewport}-{name}.png")
                page.screenshot(path=str(shots[-1]), full_page=True)
                if name.startswith("class-page"):
                    for section in SECTIONS:
                        shots.append(out / f"{viewport}-{name}-{section}.png")
                        page.locator(f"section#{section}").screenshot(path=str(shots[-1]))
            context.close()
    return shots


def main() -> None:
    from playwright.sync_api import sync_playwright

    from backend.core.timeutil import today_in_china

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="console-shots-"))
    out.mkdir(parents=True, exist_ok=True)
    url, drop = database(False)
    app = create_app({**config(url), "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    try:
        with app.app_context():
            upgrade()
            ids = build()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            shots = shoot(browser, base, ids, today_in_china().year, out)
            browser.close()
        server.shutdown()
        print(f"{len(shots)} screenshots in {out}")
    finally:
        drop()


if __name__ == "__main__":
    main()
