"""Signed, expiring bearer tokens (itsdangerous), for staff and for trainees.

A token carries the account id and its token_version; bumping the version (password
change, log-out) kills every token issued before.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from backend.core.timeutil import utcnow

STAFF_SALT = "yanxiu.staff"
TRAINEE_SALT = "yanxiu.trainee"


@dataclass(frozen=True)
class TokenClaims:
    kind: str  # "staff" or "trainee"
    account_id: int
    version: int


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _ttl(kind: str) -> timedelta:
    if kind == "staff":
        return timedelta(hours=current_app.config["TOKEN_TTL_HOURS"])
    return timedelta(days=current_app.config["TRAINEE_TOKEN_TTL_DAYS"])


def issue(kind: str, account_id: int, version: int) -> tuple[str, datetime]:
    """A new token and when it expires."""
    salt = STAFF_SALT if kind == "staff" else TRAINEE_SALT
    token = _serializer(salt).dumps([account_id, version])
    return token, utcnow() + _ttl(kind)


KINDS = {"staff": STAFF_SALT, "trainee": TRAINEE_SALT}


def read(token: str, kinds: tuple[str, ...] = ("staff", "trainee")) -> TokenClaims | None:
    """The claims of a valid, unexpired token of one of `kinds`; None for anything else."""
    for kind in kinds:
        salt = KINDS[kind]
        try:
            account_id, version = _serializer(salt).loads(
                token, max_age=int(_ttl(kind).total_seconds())
            )
        except SignatureExpired:
            return None
        except (BadSignature, ValueError, TypeError):
            continue
        if isinstance(account_id, int) and isinstance(version, int):
            return TokenClaims(kind, account_id, version)
    return None
