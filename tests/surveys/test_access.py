"""Every survey endpoint, called by each kind of caller (another unit's class: 404)."""

import pytest

from tests.conftest import (
    check_role_matrix,
    close_survey,
    open_survey,
    record_check_ins,
    trainee_token,
)
from tests.surveys.helpers import form

ROLES = [
    "anonymous",
    "stranger",
    "trainee",
    "lecturer",
    "organizer",
    "other_organizer",
    "admin",
]


def _cases(world, suggestion_id):
    url = f"/classes/{world.class_id}/survey"
    share = f"{url}/suggestions/{suggestion_id}/share"
    staff_read = [401, 403, 403, 403, 200, 404, 200]
    organizer_only = [401, 403, 403, 403, 200, 404, 403]
    lecturer_only = [401, 403, 403, 200, 403, 403, 403]
    return [
        # (method, path, body, statuses for ROLES in order)
        ("GET", url, None, [401, 404, 200, 403, 200, 404, 200]),
        ("POST", f"{url}/responses", form(world.session_ids), [401, 404, 201, 403, 403, 403, 403]),
        ("GET", f"{url}/stats", None, staff_read),
        ("GET", f"{url}/pending", None, staff_read),
        ("POST", share, None, organizer_only),
        ("DELETE", share, None, organizer_only),
        ("PUT", f"{url}/settings", {"closes_after_days": 3}, organizer_only),
        ("POST", f"{url}/open", None, organizer_only),
        ("POST", f"{url}/close", None, organizer_only),
        ("GET", "/me/ratings", None, lecturer_only),
        ("GET", "/me/ratings/summary", None, lecturer_only),
        ("GET", "/plans/2023/ratings", None, [401, 403, 403, 403, 403, 403, 200]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_survey_endpoint_answers_each_role_its_status(app, api, world, role):
    enrollments = list(world.trainees)
    record_check_ins(app, world.session_ids[0], enrollments)
    open_survey(api, world)
    # Another trainee's form leaves a suggestion to share.
    api.post(
        f"/classes/{world.class_id}/survey/responses",
        world.trainees[enrollments[1]],
        json=form(world.session_ids, suggestions="希望多些案例"),
    )
    close_survey(api, world)  # releases the form (fewer than 2B: all of them) ...
    open_survey(api, world)  # ... and the cases below find the survey open
    suggestion_id = api.get(f"/classes/{world.class_id}/survey/stats", world.admin).json[
        "suggestion_items"
    ][0]["id"]
    tokens = {
        "anonymous": None,
        "stranger": trainee_token(api, "stranger"),
        "trainee": world.trainees[enrollments[0]],
    }
    token = tokens[role] if role in tokens else getattr(world, role)
    index = ROLES.index(role)
    check_role_matrix(api, token, _cases(world, suggestion_id), index)


def test_unknown_class_year_and_suggestion_are_404(api, world):
    assert api.get("/classes/999999/survey", world.admin).status_code == 404
    assert api.get("/classes/999999/survey/stats", world.admin).status_code == 404
    assert api.get("/plans/1999/ratings", world.admin).status_code == 404
    share = f"/classes/{world.class_id}/survey/suggestions/12345/share"
    assert api.post(share, world.organizer).status_code == 404
