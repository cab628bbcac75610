"""Live tickets: a credential EventSource can carry in the URL (it cannot send headers).

A ticket is signed (itsdangerous) with the app's secret, names one class and one staff
user with that user's token_version (a log-out or password change kills it), and lasts an
hour; it may be reused for reconnects until then.
"""

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from backend.auth.models import User
from backend.core.timeutil import utcnow
from backend.extensions import db

SALT = "yanxiu.live-ticket"
TTL = timedelta(hours=1)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_ticket(user: User, class_id: int) -> tuple[str, datetime]:
    ticket = _serializer().dumps([user.id, user.token_version, class_id])
    return ticket, utcnow() + TTL


def ticket_user(ticket: str, class_id: int) -> User | None:
    """The staff user of a valid, unexpired ticket made for this class; None otherwise."""
    try:
        user_id, version, ticket_class = _serializer().loads(
            ticket, max_age=int(TTL.total_seconds())
        )
    except (BadSignature, ValueError, TypeError):
        return None
    if ticket_class != class_id or not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.token_version == version else None
