"""SQLite's writers take turns: handed over in arrival order, with a bounded wait."""

import threading

from backend.core.database import FifoLock
from tests.conftest import wait_for


def test_the_turn_is_handed_over_in_arrival_order():
    lock = FifoLock()
    assert lock.acquire(timeout=1)
    order: list[int] = []
    threads = []
    for n in range(5):

        def wait(n=n):
            assert lock.acquire(timeout=10)
            order.append(n)
            lock.release()

        thread = threading.Thread(target=wait)
        thread.start()
        threads.append(thread)
        wait_for(lambda n=n: len(lock._waiters) == n + 1, f"waiter {n} queued")
    lock.release()
    for thread in threads:
        thread.join(timeout=10)
    assert order == [0, 1, 2, 3, 4]
    assert lock.acquire(timeout=0.01)  # free again


def test_a_wait_that_runs_out_leaves_the_queue():
    lock = FifoLock()
    assert lock.acquire(timeout=1)
    assert not lock.acquire(timeout=0.01)
    assert not lock._waiters
    lock.release()
    assert lock.acquire(timeout=0.01)
