"""The quota and the one-live-application rule under a crowd: real threads against a real
server process (gunicorn), on SQLite and PostgreSQL alike."""

import threading

import pytest
import requests

from tests.recruitment.helpers import applicant, apply, recruiting_class
from tests.servers import AppServer, post_at_once

pytestmark = pytest.mark.slow


def _post_each_at_once(calls: list[tuple[str, str, dict]]) -> list[requests.Response]:
    """POST every (url, bearer token, JSON body) at the same moment, one thread each."""
    start = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def send(index: int, url: str, bearer: str, body: dict) -> None:
        with requests.Session() as http:
            start.wait()
            answers[index] = http.post(
                url, json=body, headers={"Authorization": f"Bearer {bearer}"}, timeout=60
            )

    threads = [threading.Thread(target=send, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _get(server: AppServer, path: str, token: str):
    answer = requests.get(
        f"{server.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_60_simultaneous_admissions_for_40_seats_admit_exactly_40(api, world, database_url):
    class_id = recruiting_class(api, world, quota=40)
    ids = []
    for number in range(60):
        _, answer = apply(api, class_id, number)
        assert answer.status_code == 201, answer.json
        ids.append(answer.json["id"])
    with AppServer(database_url, workers=2) as server:
        answers = _post_each_at_once(
            [
                (
                    f"{server.url}/api/v1/applications/{i}/decision",
                    world.organizer,
                    {"decision": "admit"},
                )
                for i in ids
            ]
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200] * 40 + [409] * 20, [
            a.text for a in answers if a.status_code >= 500
        ]
        assert {a.json()["error"] for a in answers if a.status_code == 409} == {"class_full"}
        roster = _get(server, f"/classes/{class_id}/trainees", world.organizer)
        recruitment = _get(server, f"/classes/{class_id}/recruitment", world.organizer)
        admitted = _get(
            server, f"/classes/{class_id}/applications?status=admitted", world.organizer
        )
    assert len(roster) == 40 and all(r["bound"] for r in roster)
    assert recruitment["admitted"] == 40 and len(admitted) == 40
    winners = {a.json()["id"] for a in answers if a.status_code == 200}
    assert {a["id"] for a in admitted} == winners


def test_concurrent_submits_of_one_user_leave_one_live_application(api, world, database_url):
    class_id = recruiting_class(api, world)
    token, _ = apply(api, class_id, 1, name="先报一个")
    first = _get_mine(api, token)
    api.delete(f"/me/applications/{first[0]['id']}", token)  # withdrawn: not live
    with AppServer(database_url, workers=2) as server:
        answers = post_at_once(
            f"{server.url}/api/v1/classes/{class_id}/applications", [(token, applicant(1))] * 20
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [201] + [409] * 19, [a.text for a in answers]
        assert {a.json()["error"] for a in answers if a.status_code == 409} == {"already_applied"}
        mine = _get(server, "/me/applications", token)
    assert sorted(a["status"] for a in mine) == ["pending", "withdrawn"]


def _get_mine(api, token):
    return api.get("/me/applications", token).json
