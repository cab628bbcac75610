"""Import a 2,000-row roster .xlsx through POST /classes/{id}/trainees and print the time.

    .venv/bin/python bench/roster_import.py [--rows 2000] [--postgres]

Runs in-process (Flask test client) on a fresh, migrated database: SQLite in a temp folder,
or a throw-away PostgreSQL database on 127.0.0.1:5432 with --postgres.
"""

import argparse
import io
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from tests.conftest import base_config, build_world  # noqa: E402


def roster_xlsx(rows: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "性别", "手机", "工作单位", "职务", "职称", "地区", "参训方式"])
    for i in range(rows):
        sheet.append(
            [
                f"学员{i}",
                "男" if i % 2 else "女",
                f"137{i:08d}",
                "湖北省某某研究院",
                "主任",
                "高级工程师",
                "恩施州",
                "线上" if i % 5 == 0 else "线下",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(url: str, rows: int, label: str) -> None:
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        world = build_world(app, trainees=0, bound=0)
        data = roster_xlsx(rows)
        client = app.test_client()
        started = time.perf_counter()
        response = client.post(
            f"/api/v1/classes/{world.class_id}/trainees",
            headers={"Authorization": f"Bearer {world.organizer}"},
            data={"file": (io.BytesIO(data), "roster.xlsx")},
            content_type="multipart/form-data",
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.json
        print(
            f"{label:<10} {rows} rows ({len(data) / 1024:.0f} KiB .xlsx): {elapsed * 1000:.0f} ms"
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.sqlite3", args.rows, "SQLite")
    if args.postgres:
        name = f"yanxiu_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect("host=127.0.0.1 dbname=test", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            run(f"postgresql+psycopg://127.0.0.1:5432/{name}", args.rows, "PostgreSQL")
        finally:
            with psycopg.connect("host=127.0.0.1 dbname=test", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
