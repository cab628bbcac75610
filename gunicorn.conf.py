"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'backend:create_app()'`.

Every value comes from the environment (see deploy/SCALE.md). The worker class is gthread:
each open live stream (SSE) holds one thread while it waits, so a worker needs a thread per
stream it serves plus some for ordinary requests. bench/live_fanout.py measured 1,000
streams on 2 workers x 600 threads (see deploy/SCALE.md for the figures and the gevent
comparison).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
#: One worker per core: Python CPU is the limit (a bare Flask answer is ~3,100/s on 4 workers of
#: 2 cores); streams need threads.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count())
#: Live streams plus ordinary requests served at once by one worker.
threads = _int("GUNICORN_THREADS", 600)
#: gthread keeps idle keep-alive connections beyond the busy threads up to this.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", threads + 200)
#: Seconds a worker may stay silent before the master restarts it (streams do not count:
#: gthread's main loop reports in while the threads stream).
timeout = _int("GUNICORN_TIMEOUT", 60)
#: On a restart, open streams are cut after this; browsers reconnect with Last-Event-ID.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 10)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
#: Restart workers now and then (jittered) so that no leak grows for ever.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 0)
#: Never load the app before forking: each worker starts its own live threads and pools.
preload_app = False
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
#: gunicorn's default without the query string (%(U)s, not %(r)s): a live stream's `ticket`
#: is a credential and must not reach the log.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
#: The same variable the app reads (backend/core/proxy.py): no proxy is trusted unless set.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")


def post_fork(server, worker):
    """The app caps live streams below the worker's threads (backend/live/slots.py)."""
    os.environ["GUNICORN_WORKER_THREADS"] = str(server.cfg.threads)
