"""Rate limits on guessing passwords, shared by the API and the staff pages.

Log-ins count per client address and per account, in buckets shared by `POST /auth/login`
and the page log-in, so switching between them gains nothing. The account is the username
as the lookup sees it (normalise_username), so " admin" or "admin\u200b" count against
"admin". Wrong old passwords on `PUT /me/password` count per account. With Redis down the
limiter counts in the worker's memory (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED).
"""

from collections.abc import Callable

from flask import current_app, request

from backend.auth import tokens
from backend.auth.access import bearer_token
from backend.core.schemas import normalise_username
from backend.extensions import limiter


def _submitted_username() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    name = body.get("username") if isinstance(body, dict) else request.form.get("username")
    return normalise_username(name) if isinstance(name, str) else ""


def _caller_key() -> str:
    token = bearer_token()
    claims = tokens.read(token, kinds=("staff",)) if token else None
    return f"user:{claims.account_id}" if claims else "user:none"


_per_address = limiter.shared_limit(
    lambda: current_app.config["LOGIN_IP_LIMIT"], scope="login-address"
)
_per_account = limiter.shared_limit(
    lambda: current_app.config["LOGIN_ACCOUNT_LIMIT"],
    scope="login-account",
    key_func=_submitted_username,
)


def limit_logins(view: Callable) -> Callable:
    """Guard a log-in view (API or page) with the shared per-address and per-account limits."""
    return _per_address(_per_account(view))


#: Guard PUT /me/password: only answers 401 (a wrong old password) count.
limit_password_guesses = limiter.limit(
    lambda: current_app.config["PASSWORD_GUESS_LIMIT"],
    key_func=_caller_key,
    scope="password-guess",
    deduct_when=lambda response: response.status_code == 401,
)
