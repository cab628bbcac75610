"""#12 item 15: invisible and bidi characters are cleaned out of text, the CSV formula guard
catches `|`, and workers starting together create one secret key."""

import csv
import io
import multiprocessing
import os

import pytest

from backend.config import _secret_key

INVISIBLE = "\u2066\u2067\u2068\u2069\u061c\u00ad\u2060\u180e\u3164\u202e"


def test_invisible_and_bidi_characters_are_removed_from_text(api, world):
    name = "张" + INVISIBLE + "三"
    created = api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        json=[{"name": name, "phone": "13500000009", "employer": f"武汉{INVISIBLE}大学"}],
    )
    assert created.status_code == 201, created.json
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    entry = next(r for r in roster if r["phone"] == "13500000009")
    assert (entry["name"], entry["employer"]) == ("张三", "武汉大学")


def test_a_pipe_at_the_start_of_a_csv_cell_is_not_a_formula(api, world):
    pipe = "|cmd '/C calc'!A0"
    created = api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        json=[{"name": "李四", "phone": "13500000008", "employer": pipe}],
    )
    assert created.status_code == 201
    text = api.get(f"/classes/{world.class_id}/exports/roster.csv", world.organizer).data
    values = [v for row in csv.reader(io.StringIO(text.decode("utf-8-sig"))) for v in row]
    assert f"'{pipe}" in values and pipe not in values


def _read_key(directory: str, barrier, results) -> None:
    barrier.wait()
    results.put(_secret_key(__import__("pathlib").Path(directory)))


@pytest.mark.sqlite_only
@pytest.mark.parametrize("round_", range(20))
def test_workers_starting_together_make_one_secret_key(tmp_path, monkeypatch, round_):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(8), context.Queue()
    workers = [
        context.Process(target=_read_key, args=(str(tmp_path), barrier, results)) for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    keys = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert (tmp_path / "secret_key").read_text() == keys[0]
    assert os.stat(tmp_path / "secret_key").st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
