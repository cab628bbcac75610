"""Recording and reading the audit trail."""

from typing import Any

from flask import g

from backend.audit.models import AuditEntry
from backend.extensions import db


def record(action: str, *, class_id: int | None = None, **detail: Any) -> None:
    """Add an entry for the current staff user, in the current transaction.

    It commits with the change it records, so an action that rolls back leaves no entry.
    """
    user = g.get("user")
    db.session.add(
        AuditEntry(
            user_id=user.id if user else None,
            username=user.username if user else "",
            action=action,
            class_id=class_id,
            detail=detail,
        )
    )


def entries(
    class_id: int | None,
    user_id: int | None,
    action: str | None,
    before_id: int | None,
    limit: int,
) -> list[AuditEntry]:
    """Newest first, filtered; page with before_id (the smallest id of the previous page)."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if class_id is not None:
        query = query.where(AuditEntry.class_id == class_id)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return db.session.scalars(query).all()
