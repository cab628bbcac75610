"""Server time of each console page for a big class: 2,000 trainees, 20 sessions, ~90%
attendance and every attendee's survey answer (the class of bench/exports.py), each page
through the whole Flask stack (test client, logged in through the log-in form). Prints the
median and best wall and CPU time of each page (target: < 200 ms) and its size.

    .venv/bin/python bench/console_pages.py                 # SQLite (a temporary file)
    .venv/bin/python bench/console_pages.py --postgresql    # a private database on 127.0.0.1:5432
    .venv/bin/python bench/console_pages.py --postgresql --statements /classes/
        # and the SQL statements of the pages whose path starts so: count and time, slowest first
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from bench.exports import build_class, config, database, submit_answers  # noqa: E402

RUNS = 5


def log_in(client, username: str) -> str:
    """Log in through the page's form; returns the CSRF token of the new session."""
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    answer = client.post(
        "/login", data={"username": username, "password": "bench-password", "csrf": csrf}
    )
    assert answer.status_code == 302, answer.status_code
    home = client.get("/").get_data(as_text=True)  # a new session: a new token
    return re.search(r'name="csrf" value="([^"]+)"', home).group(1)


def measure(client, method: str, path: str, **kwargs) -> tuple[list[float], list[float], int]:
    times, cpu = [], []
    for _ in range(RUNS):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.open(path, method=method, **kwargs)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        assert response.status_code == 200, (path, response.status_code)
    return times, cpu, len(response.data)


@contextmanager
def statement_times():
    """Time every SQL statement run inside the block; print them, slowest in total first."""
    totals: dict[str, list[float]] = defaultdict(list)

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("began", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        totals[" ".join(statement.split())].append(time.perf_counter() - conn.info["began"].pop())

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    spent = sorted(totals.items(), key=lambda item: -sum(item[1]))
    whole = sum(sum(times) for times in totals.values())
    print(f"  {sum(map(len, totals.values()))} statements, {whole * 1000:.1f} ms in the database")
    for statement, times in spent[:12]:
        print(f"  {sum(times) * 1000:7.1f} ms  ×{len(times):<4} {statement[:150]}")


def pages(class_id: int, session_id: int) -> list[tuple[str, str, str]]:
    """(user, method, path) of every console page of the class."""
    return [
        ("org", "GET", "/"),
        ("org", "GET", "/classes/new"),
        ("org", "GET", f"/classes/{class_id}"),
        ("org", "GET", f"/classes/{class_id}/edit"),
        ("org", "GET", f"/sessions/{session_id}/edit"),
        ("org", "POST", f"/classes/{class_id}/budget/total"),
        ("org", "GET", f"/dashboard/classes/{class_id}"),
        ("org", "GET", f"/display/sessions/{session_id}"),
        ("admin", "GET", "/"),
        ("admin", "GET", f"/classes/{class_id}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--statements", metavar="PATH", help="time the SQL of pages under PATH")
    args = parser.parse_args()
    url, drop = database(args.postgresql)
    rng = random.Random(13)
    app = create_app(config(url))
    try:
        with app.app_context():
            upgrade()
            began = time.perf_counter()
            class_id, organizer, trainees = build_class(rng)
            client = app.test_client()
            answers = submit_answers(client, class_id, organizer, trainees, rng)
            schedule = client.get(
                f"/api/v1/classes/{class_id}/schedule",
                headers={"Authorization": f"Bearer {organizer}"},
            ).get_json()
            session_id = schedule["sessions"][-1]["id"]
            print(
                f"database: {'PostgreSQL' if args.postgresql else 'SQLite'}; 2000 trainees, "
                f"20 sessions, {answers} survey answers "
                f"(built in {time.perf_counter() - began:.1f} s)"
            )
            clients = {}
            for user in ("org", "admin"):
                clients[user] = app.test_client()
                clients[user].csrf = log_in(clients[user], user)
            for user, method, path in pages(class_id, session_id):
                browser = clients[user]
                extra = {}
                if method == "POST":
                    extra = {"data": {"csrf": browser.csrf, "items.lodging.amount": "12000.00"}}
                times, cpu, size = measure(browser, method, path, **extra)
                print(
                    f"{user:5} {method:4} {path:32} wall median "
                    f"{statistics.median(times) * 1000:5.0f} ms (best {min(times) * 1000:5.0f})"
                    f"  CPU median {statistics.median(cpu) * 1000:5.0f} ms  {size / 1024:6.0f} KiB"
                )
                if args.statements and path.startswith(args.statements):
                    with statement_times():
                        browser.open(path, method=method, **extra)
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()


if __name__ == "__main__":
    main()
