"""Who is calling: `require(*roles)` guards a view and puts the caller on `g`.

Roles are the staff roles (admin, organizer, lecturer) and "trainee". A missing, bad or
expired token is 401; a valid caller of another role is 403.
"""

from collections.abc import Callable
from functools import wraps

from flask import g, request

from backend.auth import tokens
from backend.auth.models import Role, Trainee, User
from backend.core.api import ACCESS_ATTRIBUTE
from backend.core.errors import ApiError
from backend.extensions import db

TRAINEE = "trainee"


def unauthorized(message: str = "请先登录，或登录已过期") -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def forbidden(message: str = "没有权限执行此操作") -> ApiError:
    return ApiError(403, "forbidden", message)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


#: Where a request keeps its bearer token's trainee claims, checked once (its environ is
#: the request's own: `g` may outlive a request when a test holds the app context).
_CLAIMS_KEY = "yanxiu.trainee_claims"


def bearer_trainee_claims() -> tokens.TokenClaims | None:
    """The verified claims of the request's bearer token when it is a valid trainee token;
    the signature is checked once per request however many callers ask (the check-in's
    rate-limit key and its guard)."""
    if _CLAIMS_KEY not in request.environ:
        token = bearer_token()
        request.environ[_CLAIMS_KEY] = tokens.read(token, kinds=("trainee",)) if token else None
    return request.environ[_CLAIMS_KEY]


def load_caller(token: str | None) -> User | Trainee | None:
    """The live account a token belongs to, or None."""
    claims = tokens.read(token) if token else None
    if claims is None:
        return None
    model = User if claims.kind == "staff" else Trainee
    account = db.session.get(model, claims.account_id)
    if account is None or account.token_version != claims.version:
        return None
    return account


def _page_read() -> bool:
    if "Authorization" in request.headers:
        return False
    return request.method in ("GET", "HEAD") or not request.path.startswith("/api/")


def role_of(account: User | Trainee) -> str:
    return TRAINEE if isinstance(account, Trainee) else account.role.value


def require(*roles: str) -> Callable:
    """Guard a view: only callers with one of `roles` get in."""
    allowed = {str(r) for r in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            authorize(allowed)
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTRIBUTE, frozenset(allowed))  # its 401/403 in the OpenAPI
        return wrapper

    return decorator


def authorize(allowed: set[str], token: str | None = None) -> None:
    """Check the caller (bearer header unless a token is given) and set g.user / g.trainee.

    Without any Authorization header, a staff page (any request outside /api/, its posts
    CSRF-checked) or a page's link to the API (a GET: a download, a picture) is called by
    the page session's user, with the same role checks."""
    account = load_caller(token or bearer_token())
    if account is None and token is None and _page_read():
        from backend.web.auth import page_user

        account = page_user()
    if account is None:
        raise unauthorized()
    if role_of(account) not in allowed:
        raise forbidden()
    g.user = account if isinstance(account, User) else None
    g.trainee = account if isinstance(account, Trainee) else None


def require_trainee_token(view: Callable) -> Callable:
    """require(TRAINEE) for hot paths: the token is checked without loading the account.

    The claims go to g.trainee_claims; the view must compare their `version` with the
    trainee's token_version in its own query and answer 401 when they differ (a revoked
    token). Tokens of no trainee get the usual 401 or 403 here.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        claims = bearer_trainee_claims()
        if claims is None:
            authorize({TRAINEE})  # a staff account: 403; anything else: 401
            raise unauthorized()
        g.trainee_claims = claims
        return view(*args, **kwargs)

    setattr(wrapper, ACCESS_ATTRIBUTE, frozenset({TRAINEE}))
    return wrapper


def current_user() -> User:
    """The staff caller of a view guarded by require()."""
    return g.user


def current_trainee() -> Trainee:
    """The trainee caller of a view guarded by require(TRAINEE)."""
    return g.trainee


STAFF = (Role.ADMIN, Role.ORGANIZER)
