"""Who gets which file: the admin every class's, an organizer only its own unit's (another
unit's class is 404), lecturers and trainees none (403), nobody without a token (401)."""

import pytest

from tests.exports.pictures import image_bytes, upload
from tests.exports.test_budget import body

pytestmark = pytest.mark.usefixtures("plan_open")

READ = [
    "exports/roster.xlsx",
    "exports/roster.csv",
    "exports/tally.xlsx",
    "exports/survey-form.xlsx",
    "exports/report.docx",
    "exports/budget.xlsx",
    "budget",
    "report",
    "submission",
]
WRITE = [
    ("PUT", "budget", body()),
    ("PUT", "report", {"sections": {"2": "特点"}}),
    ("POST", "paperwork/sent", {}),
    ("POST", "expenses/sent", {}),
]
ROLES = ["admin", "organizer", "other_organizer", "lecturer", "trainee", None]


def token(world, role):
    return None if role is None else getattr(world, role)


@pytest.mark.parametrize("path", READ)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("organizer", 200),
        ("other_organizer", 404),
        ("lecturer", 403),
        ("trainee", 403),
        (None, 401),
    ],
)
def test_reading(api, world, paper, path, role, status):
    api.put(f"/classes/{paper.class_id}/budget", world.organizer, json=body())
    response = api.get(f"/classes/{paper.class_id}/{path}", token(world, role))
    assert response.status_code == status, response.get_json()


@pytest.mark.parametrize(("method", "path", "payload"), WRITE)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("organizer", 200),
        ("admin", 403),
        ("other_organizer", 404),
        ("lecturer", 403),
        ("trainee", 403),
        (None, 401),
    ],
)
def test_writing(api, world, paper, method, path, payload, role, status):
    response = api.call(
        method, f"/classes/{paper.class_id}/{path}", token(world, role), json=payload
    )
    assert response.status_code == status, response.get_json()


@pytest.mark.parametrize("path", ["/plans/2023/overview", "/plans/2023/overview.xlsx"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("organizer", 403), ("lecturer", 403), ("trainee", 403), (None, 401)],
)
def test_overview_is_the_admins(api, world, path, role, status):
    assert api.get(path, token(world, role)).status_code == status


def test_a_missing_class_or_plan_is_404(api, world):
    assert api.get("/classes/999999/exports/roster.xlsx", world.admin).status_code == 404
    assert api.get("/plans/1999/overview", world.admin).status_code == 404


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("admin", 200, 403),
        ("organizer", 200, 201),
        ("other_organizer", 404, 404),
        ("lecturer", 403, 403),
        ("trainee", 403, 403),
        (None, 401, 401),
    ],
)
def test_pictures(api, world, paper, role, read, write):
    picture = upload(api, world.organizer, paper.class_id, image_bytes()).get_json()
    path = f"/classes/{paper.class_id}/report/pictures/{picture['id']}"
    assert api.get(path, token(world, role)).status_code == read
    assert upload(api, token(world, role), paper.class_id, image_bytes()).status_code == write
    deleted = api.delete(path, token(world, role)).status_code
    assert deleted == (204 if write == 201 else write)
