"""The database pool keeps as many connections as a worker serves requests at once."""

import threading

from sqlalchemy import event

from backend.extensions import db

#: Requests at once, as a gunicorn worker of 8 threads serves them.
THREADS = 8
BURSTS = 5


def test_bursts_of_a_workers_requests_reuse_their_connections(app, world):
    """With too small a pool, each burst opens connections and closes them when returned
    (on PostgreSQL a new server process each); with the default pool the first burst's
    connections serve all later ones."""
    opened = []

    def count(*_) -> None:
        opened.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "connect", count)
    inside = threading.Barrier(THREADS)
    statuses = []

    def read_class() -> None:
        client = app.test_client()
        inside.wait()
        answer = client.get(
            f"/api/v1/classes/{world.class_id}",
            headers={"Authorization": f"Bearer {world.organizer}"},
        )
        statuses.append(answer.status_code)

    try:
        for _ in range(BURSTS):
            threads = [threading.Thread(target=read_class) for _ in range(THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        event.remove(engine, "connect", count)
    assert statuses == [200] * THREADS * BURSTS
    assert len(opened) <= THREADS
