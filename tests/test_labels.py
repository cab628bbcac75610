"""GET /labels: every Chinese label written once, on its enum, and shown as the API sends it."""

import ast
import io
import re
from pathlib import Path

from openpyxl import load_workbook

from backend.core.labels import LabelledEnum
from backend.labels import ENUM_SETS
from backend.surveys.form import SECTION_TITLES
from tests.conftest import check_in, page_log_in

BACKEND = Path(__file__).resolve().parent.parent / "backend"
MINIPROGRAM = BACKEND.parent / "miniprogram_stub" / "miniprogram"


def test_the_labels_need_no_log_in_and_cover_every_set(api):
    answer = api.get("/labels")
    assert answer.status_code == 200
    labels = answer.json
    assert labels["class_status"] == {
        "draft": "草稿",
        "submitted": "待审核",
        "approved": "已审核通过",
        "closed": "已结班",
    }
    assert labels["attendance_state"]["excused"] == "请假"
    assert labels["funding"] == {"fiscal": "财政资助", "self": "自筹经费"}
    assert list(labels["survey"]["levels"]) == ["excellent", "good", "fair", "poor"]
    assert labels["survey"]["levels"]["poor"] == "较差"
    assert labels["survey"]["sections"]["service"] == "服务管理评价"
    # A bad token does not stop the labels either (the mini-program loads them first).
    assert api.get("/labels", "not-a-token").json == labels


def test_answers_carry_the_label_of_their_status(api, world):
    labels = api.get("/labels").json
    enrollment_id = next(iter(world.trainees))
    check_in(api, world, enrollment_id)
    the_class = api.get(f"/classes/{world.class_id}", world.organizer).json
    assert the_class["status_label"] == labels["class_status"][the_class["status"]] == "已审核通过"
    mine = api.get("/me/classes", world.trainees[enrollment_id]).json[0]
    assert mine["status_label"] == "已审核通过"
    checkin = mine["sessions"][0]["checkin"]
    assert checkin["state_label"] == labels["attendance_state"][checkin["state"]]
    tallies = api.get("/plans/2023/tallies", world.admin).json
    row = next(r for r in tallies if r["class_id"] == world.class_id)
    assert row["status_label"] == "已审核通过"


def test_the_console_and_the_overview_show_the_api_labels(api, client, world):
    labels = api.get("/labels").json
    check_in(api, world, next(iter(world.trainees)))
    page_log_in(client, "org-hust")
    page = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert f">{labels['class_status']['approved']}</span>" in page
    legend = re.search(r"图例：(.*?)</p>", page).group(1)
    for text in labels["attendance_state"].values():
        assert f">{text}</span>" in legend
    assert f">{labels['attendance_state']['present']}</span>" in page.split("图例")[1]
    sheet = load_workbook(io.BytesIO(api.get("/plans/2023/overview.xlsx", world.admin).data)).active
    statuses = {row[4].value for row in sheet.iter_rows(min_row=3) if row[1].value}
    assert labels["class_status"]["approved"] in statuses


def _label_values() -> dict[str, set[str]]:
    """Every label set's values (the enums' and 附件2's section titles)."""
    sets = {name: {m.label for m in enum} for name, enum in ENUM_SETS.items()}
    return sets | {"survey_sections": set(SECTION_TITLES.values())}


def _defined_in(path: Path) -> set[str]:
    """The labels a file defines: its LabelledEnum members' labels, or 附件2's own."""
    if path == BACKEND / "surveys" / "form.py":
        return set(SECTION_TITLES.values())
    tree = ast.parse(path.read_text())
    own = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            getattr(base, "id", "") == LabelledEnum.__name__ for base in node.bases
        ):
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Tuple):
                    own.add(item.value.elts[1].value)
    return own


def test_no_python_module_spells_out_a_label_it_does_not_own():
    every = set().union(*_label_values().values())
    found = []
    for path in sorted(BACKEND.rglob("*.py")):
        own = _defined_in(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in every - own:
                found.append(f"{path.relative_to(BACKEND)}:{node.lineno} {node.value}")
    assert found == []


def test_no_page_script_or_mini_program_file_keeps_a_copy_of_a_label_set():
    """Two labels of one set written in one template or script is a copied set."""
    files = [*BACKEND.rglob("*.html"), *BACKEND.glob("static/**/*.js")]
    files += [*MINIPROGRAM.rglob("*.js"), *MINIPROGRAM.rglob("*.wxml")]
    copies = []
    for path in files:
        if "vendor" in path.parts:
            continue
        text = path.read_text()
        for name, values in _label_values().items():
            written = {v for v in values if re.search(rf"['\">]{re.escape(v)}['\"<]", text)}
            if len(written) > 1:
                copies.append(f"{path.name}: {name} {sorted(written)}")
    assert copies == []


def test_every_labelled_enum_is_sent():
    from backend.surveys.models import Level

    assert set(LabelledEnum.__subclasses__()) == set(ENUM_SETS.values()) | {Level}
