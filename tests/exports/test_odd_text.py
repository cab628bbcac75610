"""Odd text never breaks a file: markup and formulas stay text, a lone surrogate (valid JSON,
not encodable) is dropped on the way in."""

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.usefixtures("plan_open")

ROW = '[{"name": "<b>\\u738b\\ud800</b>", "phone": "13900000099", "employer": "=HYPERLINK(1)"}]'


def test_exports_survive_odd_text(api, world):
    imported = api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        data=ROW,
        content_type="application/json",
    )
    assert imported.status_code == 201, imported.get_json()
    for name in ("roster.xlsx", "roster.csv", "report.docx", "survey-form.xlsx", "tally.xlsx"):
        got = api.get(f"/classes/{world.class_id}/exports/{name}", world.organizer)
        assert got.status_code == 200, (name, got.get_json())
    got = api.get(f"/classes/{world.class_id}/exports/roster.xlsx", world.organizer)
    sheet = load_workbook(io.BytesIO(got.data)).active
    last = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "<b>王</b>")
    assert last[1:4] == ("<b>王</b>", None, "=HYPERLINK(1)")
