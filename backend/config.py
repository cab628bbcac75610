"""Configuration, read from the environment (see the table in README.md)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else a random key kept in instance/.

    The file lets `make run` restart without logging everyone out; production
    sets SECRET_KEY in the environment.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        _create_once(path, secrets.token_hex(32))
    return path.read_text().strip()


def _create_once(path: Path, content: str) -> None:
    """Write `content` to `path` unless it exists, atomically: workers starting together
    each write a temporary file and link it into place; the first link wins, so every
    worker reads the same key and none reads a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(content)
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        temp.unlink()


class Config:
    """Settings for a running app; every value can come from the environment."""

    def __init__(self, instance_path: Path) -> None:
        default_db = f"sqlite:///{instance_path / 'yanxiu.sqlite3'}"
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", default_db)
        # hide_parameters: SQL errors never carry the values (phone numbers) into logs.
        # pool_size: connections a worker keeps open; below the requests it serves at once,
        # every burst opens and closes connections (a PostgreSQL fork each, and statements
        # prepared anew): bench/checkin_burst.py saw ~20 a second with SQLAlchemy's 5.
        self.SQLALCHEMY_ENGINE_OPTIONS = {
            "pool_pre_ping": True,
            "hide_parameters": True,
            "pool_size": int(os.environ.get("DB_POOL_SIZE", "10")),
            "max_overflow": int(os.environ.get("DB_MAX_OVERFLOW", "10")),
        }
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.SECRET_KEY = _secret_key(instance_path)
        self.DEV_LOGIN = _env_flag("DEV_LOGIN")
        self.WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID") or None
        self.WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET") or None
        self.WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com/")
        self.WECHAT_TIMEOUT = float(os.environ.get("WECHAT_TIMEOUT", "5"))
        self.TOKEN_TTL_HOURS = float(os.environ.get("TOKEN_TTL_HOURS", "12"))
        #: Staff page sessions last as long as a staff token, from the log-in on.
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=self.TOKEN_TTL_HOURS)
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_HTTPONLY = True
        #: Served over https (behind TLS): Secure cookies and HSTS.
        self.HTTPS = _env_flag("HTTPS")
        self.SESSION_COOKIE_SECURE = self.HTTPS
        self.TRAINEE_TOKEN_TTL_DAYS = float(os.environ.get("TRAINEE_TOKEN_TTL_DAYS", "30"))
        self.RATELIMIT_ENABLED = not _env_flag("RATELIMIT_DISABLED")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        #: How the limits library counts "10 a minute": by default its sliding-window counter,
        #: this clock minute's count plus the last one's weighted by how much of it is still
        #: inside the 60 s. Two counters per key where the exact "moving-window" keeps (and
        #: scans) one entry per request: a check-in's two limits of 1,200 a minute cost 2.4–2.7
        #: instead of 3.8–4.1 ms of CPU. The price: the weighting assumes the last minute's hits
        #: were spread evenly, so just after a minute turns a client may get up to the limit
        #: again early (never more than the limit within one clock minute). The tests count
        #: exactly with "moving-window" and check this default in tests/security/test_rate_strategy.py.
        #: The check-in's two limits are always exact moving windows (backend/checkin/limits.py).
        self.RATELIMIT_STRATEGY = os.environ.get("RATELIMIT_STRATEGY", "sliding-window-counter")
        #: Redis down: every limit goes on counting in the worker's memory, never none.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        #: Log-ins (API and page) from one address, and guesses at one account's password.
        self.LOGIN_IP_LIMIT = os.environ.get("LOGIN_IP_LIMIT", "60/minute")
        self.LOGIN_ACCOUNT_LIMIT = os.environ.get("LOGIN_ACCOUNT_LIMIT", "10/minute")
        #: Wrong old passwords on PUT /me/password, per account.
        self.PASSWORD_GUESS_LIMIT = os.environ.get("PASSWORD_GUESS_LIMIT", "5/15 minutes")
        #: Failed bindings by typed name and phone (404 answers), per trainee and per address.
        self.BIND_TRAINEE_LIMIT = os.environ.get("BIND_TRAINEE_LIMIT", "5/hour")
        self.BIND_IP_LIMIT = os.environ.get("BIND_IP_LIMIT", "30/hour")
        #: Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses; empty:
        #: none), and how many proxy hops they add (see backend/core/proxy.py).
        self.FORWARDED_ALLOW_IPS = os.environ.get("FORWARDED_ALLOW_IPS", "")
        self.PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))
        self.RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "yanxiu")
        #: Check-ins from one address (a venue behind one NAT): generous, against floods only.
        self.CHECKIN_IP_LIMIT = os.environ.get("CHECKIN_IP_LIMIT", "1200/minute")
        #: Check-ins of one trainee: a phone scanning in a loop is stopped.
        self.CHECKIN_TRAINEE_LIMIT = os.environ.get("CHECKIN_TRAINEE_LIMIT", "30/minute")
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
        #: Survey answers are shown in whole batches of this many forms (at least 3).
        self.SURVEY_BATCH = max(3, int(os.environ.get("SURVEY_BATCH", "5")))
        #: Days after a class ends before its personal data may be purged.
        self.RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", "365"))
        self.CORS_ORIGINS = os.environ.get("CORS_ORIGINS", "")
        #: WeChat subscribe-message template ids per reminder kind; a kind without one is off.
        self.REMINDER_TEMPLATES = {
            kind: os.environ.get(f"REMINDER_TEMPLATE_{kind.upper()}") or None
            for kind in ("session_start", "survey", "application", "certificate")
        }
        #: Seconds between the scheduler's rounds (`flask reminders run`).
        self.REMINDERS_INTERVAL_SECONDS = float(os.environ.get("REMINDERS_INTERVAL_SECONDS", "60"))
        #: werkzeug hash method; scrypt (slow on purpose). Tests may pick a faster one.
        self.PASSWORD_HASH_METHOD = "scrypt"

        self.API_TITLE = "Yanxiu 研修通 API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.JSON_AS_ASCII = False
