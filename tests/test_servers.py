"""The real server process serves the app against the test's database."""

import requests

from tests.servers import AppServer


def test_gunicorn_serves_the_test_database(database_url, world):
    with AppServer(database_url, workers=2) as server:
        response = requests.get(
            f"{server.url}/api/v1/classes/{world.class_id}",
            headers={"Authorization": f"Bearer {world.organizer}"},
            timeout=5,
        )
        assert response.status_code == 200
        assert response.json()["title"] == "区块链技术数字化工程师高级研修班"
        assert len(server.worker_pids()) == 2
