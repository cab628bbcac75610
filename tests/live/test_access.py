"""Who may open a class's stream: its unit's organizers and the admin, by ticket or bearer."""

from datetime import timedelta

import pytest

from backend.auth.models import User
from backend.extensions import db
from backend.live import tickets
from tests.conftest import check_in
from tests.live.conftest import stream_url, tally, ticket_for
from tests.live.sse import SSEClient


def test_ticket_answer_and_expiry(api, world):
    response = api.post(f"/classes/{world.class_id}/live-ticket", world.organizer)
    assert response.status_code == 200
    assert set(response.json) == {"ticket", "expires_at"}
    assert response.json["expires_at"].endswith("+08:00")


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_organizer", 404), ("lecturer", 403), ("trainee", 403), (None, 401)],
)
def test_only_the_units_staff_get_a_ticket(api, world, who, status):
    token = getattr(world, who) if who else None
    response = api.post(f"/classes/{world.class_id}/live-ticket", token)
    assert response.status_code == status
    assert (
        response.json["error"] == {401: "unauthorized", 403: "forbidden", 404: "not_found"}[status]
    )


def test_the_admin_watches_any_class_with_a_bearer_header(api, world, live_server):
    url = f"{live_server}/api/v1/classes/{world.class_id}/live"
    with SSEClient(url, {"Authorization": f"Bearer {world.admin}"}) as stream:
        assert tally(stream.next())["class_id"] == world.class_id


@pytest.mark.parametrize(
    ("who", "status"), [("other_organizer", 404), ("lecturer", 403), (None, 401)]
)
def test_bearer_of_others_is_refused(api, world, live_server, who, status):
    url = f"{live_server}/api/v1/classes/{world.class_id}/live"
    headers = {"Authorization": f"Bearer {getattr(world, who)}"} if who else {}
    with SSEClient(url, headers) as stream:
        assert stream.status_code == status
        assert stream.headers["content-type"] == "application/json"


def test_a_ticket_opens_only_its_own_class(api, world, live_server):
    ticket = ticket_for(api, world)
    url = f"{live_server}/api/v1/classes/{world.class_id + 1}/live?ticket={ticket}"
    with SSEClient(url) as stream:
        assert stream.status_code == 401
        assert '"unauthorized"' in stream.body()


def test_a_forged_ticket_is_refused(api, world, live_server):
    ticket = ticket_for(api, world)
    with SSEClient(stream_url(live_server, world, ticket[:-2] + "xx")) as stream:
        assert stream.status_code == 401


def test_a_ticket_is_reusable_until_it_expires(app, api, world, live_server, monkeypatch):
    ticket = ticket_for(api, world)
    for _ in range(2):
        with SSEClient(stream_url(live_server, world, ticket)) as stream:
            assert stream.status_code == 200
    monkeypatch.setattr(tickets, "TTL", timedelta(seconds=-1))
    with SSEClient(stream_url(live_server, world, ticket)) as stream:
        assert stream.status_code == 401


def test_a_log_out_kills_the_ticket(app, api, world, live_server):
    ticket = ticket_for(api, world)
    with app.app_context():
        user = db.session.get(User, world.user_ids["organizer"])
        user.token_version += 1
        db.session.commit()
    with SSEClient(stream_url(live_server, world, ticket)) as stream:
        assert stream.status_code == 401


def test_the_year_view_lists_the_classes_with_rates(api, world):
    for enrollment_id in world.trainees:
        check_in(api, world, enrollment_id)
    response = api.get("/plans/2023/tallies", world.admin)
    assert response.status_code == 200
    [row] = response.json
    assert row["class_id"] == world.class_id
    assert row["title"] == "区块链技术数字化工程师高级研修班"
    assert row["host_unit"] == "华中科技大学"
    assert row["status"] == "approved"
    assert (row["enrolled"], row["attendees"], row["checkins"]) == (5, 3, 3)
    assert row["sessions"] == 4 and row["sessions_held"] == 1
    assert row["attendance_rate"] == 60.0  # 3 check-ins / (5 enrolled × 1 session started)
    assert row["return_rate"] is None  # the survey was never opened: no form issued yet
    assert api.get("/plans/2023/tallies", world.other_organizer).json == []
    assert api.get("/plans/2023/tallies", world.trainee).status_code == 403
