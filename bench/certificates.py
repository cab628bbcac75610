"""Issuing the certificates of a class of 2,000 trainees, and the PDF of one certificate,
through the whole HTTP stack (Flask test client).

Prints the time of `POST /classes/{id}/certificates` issuing 2,000 certificates, of issuing
again (nothing new), and its peak Python memory (tracemalloc, in a separate run since
tracing slows the code); then the time of `GET /certificates/{number}.pdf` (target: < 200 ms)
against a reference measured in the same run: the same PDF with fpdf2 given the whole 11 MB
font, as before HarfBuzz cut it down first.

    .venv/bin/python bench/certificates.py                 # SQLite (a temporary file)
    .venv/bin/python bench/certificates.py --postgresql    # a private database on 127.0.0.1:5432
"""

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import delete

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.completion import pdf  # noqa: E402
from backend.completion.models import Certificate  # noqa: E402
from backend.extensions import db  # noqa: E402
from bench.exports import TRAINEES, build_class, config, database  # noqa: E402

PDF_RUNS = 15


def timed(call) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result) of one call."""
    began, began_cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - began, time.process_time() - began_cpu, result


def traced_peak(call) -> int:
    tracemalloc.start()
    call()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def bench_issuing(client, class_id: int, headers: dict) -> None:
    path = f"/api/v1/classes/{class_id}/certificates"
    wall, cpu, answer = timed(lambda: client.post(path, headers=headers))
    assert answer.status_code == 200, answer.get_json()
    issued = answer.get_json()["issued"]
    again_wall, again_cpu, again = timed(lambda: client.post(path, headers=headers))
    assert again.get_json() == {"issued": 0, "total": issued}
    db.session.execute(delete(Certificate).where(Certificate.class_id == class_id))
    db.session.commit()
    peak = traced_peak(lambda: client.post(path, headers=headers))
    print(
        f"issue {issued} certificates: wall {wall:.2f} s, CPU {cpu:.2f} s, "
        f"peak memory {peak / 2**20:.1f} MiB; issuing again (0 new): wall {again_wall:.2f} s, "
        f"CPU {again_cpu:.2f} s"
    )


def pdf_times(client, path: str, headers: dict) -> tuple[list[float], list[float], int]:
    walls, cpus, size = [], [], 0
    for _ in range(PDF_RUNS):
        wall, cpu, answer = timed(lambda: client.get(path, headers=headers))
        assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
        walls.append(wall)
        cpus.append(cpu)
        size = len(answer.data)
    return walls, cpus, size


def whole_font(_text: str, _folder: Path) -> Path:
    """The reference: fpdf2 subsets the whole font file itself."""
    return pdf.serif_path()


def bench_pdf(client, class_id: int, headers: dict) -> None:
    listed = client.get(f"/api/v1/classes/{class_id}/certificates", headers=headers).get_json()
    path = f"/api/v1/certificates/{listed[0]['number']}.pdf"
    client.get(path, headers=headers)  # the first call maps the font file
    peak = traced_peak(lambda: client.get(path, headers=headers))
    fast = pdf_times(client, path, headers)
    subset_first = pdf.subset_font
    pdf.subset_font = whole_font
    try:
        reference = pdf_times(client, path, headers)
    finally:
        pdf.subset_font = subset_first
    for name, (walls, cpus, size) in (("HarfBuzz subset first", fast), ("whole font", reference)):
        print(
            f"one certificate PDF, {name:21}: wall median {statistics.median(walls) * 1000:4.0f} ms"
            f" (best {min(walls) * 1000:4.0f}), CPU median {statistics.median(cpus) * 1000:4.0f} ms"
            f" (best {min(cpus) * 1000:4.0f}), {size / 1024:.0f} KiB"
        )
    ratio = statistics.median(reference[1]) / statistics.median(fast[1])
    print(
        f"CPU ratio whole font / subset first: {ratio:.1f}x; peak memory of one PDF "
        f"{peak / 2**20:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    url, drop = database(args.postgresql)
    app = create_app(config(url))
    try:
        with app.app_context():
            upgrade()
            began = time.perf_counter()
            class_id, organizer, _trainees = build_class(random.Random(18))
            client = app.test_client()
            headers = {"Authorization": f"Bearer {organizer}"}
            rule = {"min_attendance": 0.5, "require_survey": False}
            answer = client.put(
                f"/api/v1/classes/{class_id}/completion-rule", headers=headers, json=rule
            )
            assert answer.status_code == 200, answer.get_json()
            print(
                f"database: {'PostgreSQL' if args.postgresql else 'SQLite'}; {TRAINEES} trainees "
                f"(built in {time.perf_counter() - began:.1f} s)"
            )
            bench_issuing(client, class_id, headers)
            bench_pdf(client, class_id, headers)
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()


if __name__ == "__main__":
    main()
