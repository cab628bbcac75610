"""PostgreSQL restarted under a running app: 503 with a clear message during the outage, and
service again afterwards without restarting the app."""

import pytest
import requests
from flask_migrate import upgrade

from backend import create_app
from backend.extensions import db
from tests.conftest import base_config, build_world
from tests.faults import pgcluster
from tests.servers import AppServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only,  # the cluster is private: one run is enough
    pytest.mark.skipif(not pgcluster.available(), reason="PostgreSQL binaries not installed"),
]


@pytest.fixture
def cluster():
    cluster = pgcluster.PrivateCluster().init()
    cluster.start()
    yield cluster
    cluster.destroy()


def test_outage_is_503_and_service_resumes(cluster):
    app = create_app(base_config(cluster.url))
    with app.app_context():
        upgrade()
        world = build_world(app)
        db.engine.dispose()
    headers = {"Authorization": f"Bearer {world.organizer}"}
    with AppServer(cluster.url, workers=2) as server:
        url = f"{server.url}/api/v1/classes/{world.class_id}"
        assert requests.get(url, headers=headers, timeout=5).status_code == 200
        cluster.stop()
        during = [requests.get(url, headers=headers, timeout=10) for _ in range(4)]
        assert {r.status_code for r in during} == {503}
        assert during[0].json() == {
            "error": "unavailable",
            "message": "数据库暂时不可用，请稍后重试",
        }
        write = requests.patch(
            url, headers=headers, json={"capacity": 45, "reason": "扩招"}, timeout=10
        )
        assert write.status_code == 503
        cluster.start()
        after = [requests.get(url, headers=headers, timeout=10).status_code for _ in range(4)]
        assert after == [200] * 4
        changed = requests.patch(
            url, headers=headers, json={"capacity": 45, "reason": "扩招"}, timeout=10
        )
        assert changed.status_code == 200 and changed.json()["capacity"] == 45
