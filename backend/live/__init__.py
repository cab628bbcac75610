"""Live tallies (实时统计): check-ins and returned forms pushed to dashboards as SSE.

`init_live(app)` picks the broker (Redis Streams when REDIS_URL is set, else in-process),
starts nothing until the first change or subscriber, and connects the domain signals so
that tallies are published after each commit.
"""

import os
from dataclasses import dataclass

from flask import Flask

from backend.live.broker import Broker, MemoryBroker
from backend.live.publisher import TallyPublisher, connect
from backend.live.slots import StreamSlots, default_max_streams


@dataclass
class Live:
    """What the app keeps in app.extensions["live"]."""

    broker: Broker
    publisher: TallyPublisher
    #: Seconds between keep-alive comments on an idle stream (docs/API.md: at most 15).
    heartbeat: float
    #: Seconds after which a stream ends (the client reconnects and is checked again).
    lifetime: float
    #: The caps on open streams of this worker.
    slots: StreamSlots


def _setting(app: Flask, name: str, default: str) -> str:
    return str(app.config.get(name) or os.environ.get(name) or default)


def init_live(app: Flask) -> None:
    interval = float(_setting(app, "LIVE_MIN_INTERVAL_MS", "200")) / 1000
    log_size = int(_setting(app, "LIVE_LOG_SIZE", "1000"))
    if app.config.get("REDIS_URL"):
        from backend.live.redis_broker import RedisBroker

        prefix = _setting(app, "LIVE_REDIS_PREFIX", "yanxiu:live")
        broker: Broker = RedisBroker(app.config["REDIS_URL"], interval, prefix, log_size)
    else:
        broker = MemoryBroker(interval, log_size)
    heartbeat = float(_setting(app, "LIVE_HEARTBEAT_SECONDS", "10"))
    lifetime = float(_setting(app, "LIVE_MAX_STREAM_SECONDS", "3600"))
    slots = StreamSlots(
        per_user=int(_setting(app, "LIVE_STREAMS_PER_USER", "6")),
        per_class=int(_setting(app, "LIVE_STREAMS_PER_CLASS", "30")),
        total=int(_setting(app, "LIVE_MAX_STREAMS", str(default_max_streams()))),
    )
    app.extensions["live"] = Live(broker, TallyPublisher(app, broker), heartbeat, lifetime, slots)
    connect()
