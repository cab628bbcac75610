"""Time helpers: the server's clock is UTC; people read Asia/Shanghai.

China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
"""

from datetime import UTC, date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def as_aware(value: datetime) -> datetime:
    """Attach Asia/Shanghai to a naive time (docs/API.md: no offset means +08:00)."""
    return value.replace(tzinfo=CHINA) if value.tzinfo is None else value


def to_china(value: datetime) -> datetime:
    """The same instant, expressed in Asia/Shanghai."""
    return as_aware(value).astimezone(CHINA)


def china_date(value: datetime) -> date:
    """The calendar date in China of an instant."""
    return to_china(value).date()


def today_in_china() -> date:
    return china_date(utcnow())
