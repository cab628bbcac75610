"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'backend:create_app()'`.

Every value comes from the environment (see deploy/SCALE.md). Each app machine runs the
same app twice: the API and pages with gthread workers (the default), and the live streams
(SSE) with `GUNICORN_WORKER_CLASS=gevent` on a port of their own, where nginx sends
`/api/v1/classes/<id>/live` (deploy/nginx.conf). A gthread worker would hold a thread per
stream, and every tally event would wake one thread per subscriber to queue for the GIL; a
gevent worker holds a stream as a greenlet and sends an event to all of its subscribers in
one OS thread (bench/live_fanout.py: deploy/SCALE.md has the figures).
"""

import gc
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
#: gthread keeps idle keep-alive connections beyond the busy threads up to this; a gevent
#: worker serves at most this many connections (its streams) at once.
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
    """The app caps live streams below what one worker serves at once (backend/live/slots.py):
    its threads, or its connections for an asynchronous worker (gevent)."""
    threaded = server.cfg.worker_class_str in ("gthread", "sync")
    capacity = server.cfg.threads if threaded else server.cfg.worker_connections
    os.environ["GUNICORN_WORKER_CAPACITY"] = str(capacity)


def post_worker_init(worker):
    """The app is loaded: move its objects out of the garbage collector's sight. A full
    collection otherwise walks every module, model and schema of the app, ~200 ms during
    which the worker's threads stand still (measured under bench/live_fanout.py)."""
    gc.collect()
    gc.freeze()
