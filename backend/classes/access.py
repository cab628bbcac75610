"""Who may see or change a class. An organizer of another unit gets 404, never 403,
so the class's existence is not revealed (docs/API.md)."""

from flask import g
from sqlalchemy import Select

from backend.auth.access import TRAINEE, authorize
from backend.auth.models import Role, User
from backend.classes.models import Lecturer, Session, TrainingClass
from backend.core.errors import not_found
from backend.extensions import db

CLASS_NOT_FOUND = "找不到该研修班"


def _load(class_id: int) -> TrainingClass:
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        raise not_found(CLASS_NOT_FOUND)
    return training_class


def is_staff_of(training_class: TrainingClass) -> bool:
    """The caller is the admin, or an organizer of the class's host unit."""
    user = g.get("user")
    if user is None:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.ORGANIZER and user.unit_id == training_class.host_unit_id


def lecturer_teaches(training_class: TrainingClass) -> bool:
    user = g.get("user")
    if user is None or user.role != Role.LECTURER:
        return False
    return (
        db.session.scalar(
            db.select(Session.id)
            .where(Session.class_id == training_class.id, Session.lecturer_id == user.lecturer_id)
            .limit(1)
        )
        is not None
    )


def trainee_enrolled(training_class: TrainingClass) -> bool:
    from backend.enrollment.queries import enrollment_of

    trainee = g.get("trainee")
    return trainee is not None and enrollment_of(trainee.id, training_class.id) is not None


def class_for_staff(
    class_id: int, roles: tuple[str, ...] = ("admin", "organizer")
) -> TrainingClass:
    """The class, for the admin or its own unit's organizers (others: 403 by role, 404 by unit)."""
    authorize(set(roles))
    training_class = _load(class_id)
    if not is_staff_of(training_class):
        raise not_found(CLASS_NOT_FOUND)
    return training_class


def class_for_organizer(class_id: int) -> TrainingClass:
    """The class, for its own unit's organizers only (the admin gets 403)."""
    return class_for_staff(class_id, roles=("organizer",))


def class_for_reader(class_id: int) -> TrainingClass:
    """The class, for its staff, its enrolled trainees and the lecturers who teach in it."""
    authorize({"admin", "organizer", "lecturer", TRAINEE})
    training_class = _load(class_id)
    if (
        is_staff_of(training_class)
        or trainee_enrolled(training_class)
        or lecturer_teaches(training_class)
    ):
        return training_class
    raise not_found(CLASS_NOT_FOUND)


def session_for_staff(session_id: int, roles: tuple[str, ...] = ("admin", "organizer")) -> Session:
    """A session of a class the caller is staff of."""
    authorize(set(roles))
    session = db.session.get(Session, session_id)
    if session is None:
        raise not_found("找不到该课程")
    class_for_staff(session.class_id, roles)
    return session


LECTURER_NOT_FOUND = "授课人不存在"


def lecturers_query(user: User) -> Select:
    """The lecturers the user may see and use: all for the admin, else the user's unit's."""
    query = db.select(Lecturer)
    if user.role != Role.ADMIN:
        query = query.where(Lecturer.unit_id.is_not(None), Lecturer.unit_id == user.unit_id)
    return query


def lecturer_for(user: User, lecturer_id: int | None) -> Lecturer | None:
    """The lecturer if the user may use them (another unit's reads as not existing)."""
    if lecturer_id is None:
        return None
    return db.session.scalar(lecturers_query(user).where(Lecturer.id == lecturer_id))
