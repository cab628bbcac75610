"""HTML, SQL and control characters in every kind of text field: stored cleaned, shown escaped
on every page, and never a formula in an export."""

import csv
import io

from openpyxl import load_workbook

from tests.conftest import csrf_of, page_log_in, record_check_ins

SCRIPT = "<script>alert('x')</script>"
SQL = "'; DROP TABLE users; --"
FORMULA = '=HYPERLINK("http://evil.example","点我")'


def _hostile_class(api, world):
    api.patch(
        f"/classes/{world.class_id}",
        world.organizer,
        json={"location": f"{SCRIPT}\x00\x1b[31m", "reason": SQL},
    )
    api.patch(
        f"/sessions/{world.session_ids[0]}",
        world.organizer,
        json={"topic": f"<img src=x onerror=alert(1)>{SQL}", "reason": "x"},
    )
    created = api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        json=[
            {"name": "<b>坏人</b>\x07", "phone": "13500000001", "employer": FORMULA, "region": SQL}
        ],
    )
    assert created.status_code == 201
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    entry = next(r for r in roster if r["phone"] == "13500000001")
    record_check_ins(api.client.application, world.session_ids[0], [entry["enrollment_id"]])
    return entry


def test_text_is_stored_without_control_characters(api, world):
    entry = _hostile_class(api, world)
    assert entry["name"] == "<b>坏人</b>"
    assert (
        api.get(f"/classes/{world.class_id}", world.organizer).json["location"] == f"{SCRIPT}[31m"
    )
    assert api.get(f"/classes/{world.class_id}/changes", world.organizer).json[0]["reason"] == SQL


def test_pages_escape_what_they_show(api, client, world):
    _hostile_class(api, world)
    page_log_in(client, "org-hust")
    pages = ["/", f"/classes/{world.class_id}", f"/display/sessions/{world.session_ids[0]}"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, path
    shown = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown  # the location, as text
    client.post("/logout", data={"csrf": csrf_of(client.get("/").get_data(as_text=True))})
    page_log_in(client, "lect-wang")
    lecturer_page = client.get("/lecturer").get_data(as_text=True)
    assert "<img src=x" not in lecturer_page and "<script>alert" not in lecturer_page


def test_exports_keep_text_as_text(api, world):
    _hostile_class(api, world)
    data = api.get(f"/classes/{world.class_id}/exports/roster.xlsx", world.organizer).data
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    hyperlink = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hyperlink and all(c.data_type == "s" for c in hyperlink)
    text = api.get(f"/classes/{world.class_id}/exports/roster.csv", world.organizer).data.decode(
        "utf-8-sig"
    )
    values = [v for row in csv.reader(io.StringIO(text)) for v in row]
    assert f"'{FORMULA}" in values and FORMULA not in values
    assert "<b>坏人</b>" in values
