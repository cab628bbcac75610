"""Start the real app in another process (gunicorn), for tests with real concurrency.

with AppServer(database_url, workers=2) as server:
    requests.get(server.url + "/healthz")
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """gunicorn serving create_app() on a free port, with the given database and settings."""

    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 2,
        threads: int = 8,
        worker_class: str = "gthread",
        env: dict[str, str] | None = None,
        port: int | None = None,
        exact_rate_limits: bool = True,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "DEV_LOGIN": "1",
            "PYTHONPATH": str(ROOT),
            # tests count exactly, as in tests/conftest.py; a benchmark measures the default
            **({"RATELIMIT_STRATEGY": "moving-window"} if exact_rate_limits else {}),
            **(env or {}),
        }
        self.args = [
            str(GUNICORN),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            worker_class,
            "--timeout",
            "60",
            "--graceful-timeout",
            "2",
            "--log-level",
            "warning",
            "backend:create_app()",
        ]
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "AppServer":
        self.process = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not answer in time")

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the gunicorn master)."""
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()

    def __enter__(self) -> "AppServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def post_at_once(url: str, calls: list[tuple[str, dict]]) -> list[requests.Response | Exception]:
    """POST every (bearer token, JSON body) to `url` at the same moment, one thread each;
    the answers in the order of `calls` (the exception where a call got none)."""
    start = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def send(index: int, bearer: str, body: dict) -> None:
        with requests.Session() as http:
            start.wait()
            try:
                answers[index] = http.post(
                    url, json=body, headers={"Authorization": f"Bearer {bearer}"}, timeout=60
                )
            except requests.RequestException as error:
                answers[index] = error

    threads = [
        threading.Thread(target=send, args=(i, bearer, body))
        for i, (bearer, body) in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
