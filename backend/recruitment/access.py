"""Who may see or decide an application: the class's organizers; the applicant their own."""

from backend.classes.access import class_for_organizer
from backend.core.errors import not_found
from backend.extensions import db
from backend.recruitment.models import Application

APPLICATION_NOT_FOUND = "找不到该报名"


def application_for_organizer(application_id: int) -> Application:
    """The application, locked for a decision, for its class's organizers (others: 404)."""
    application = db.session.scalar(
        db.select(Application)
        .where(Application.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if application is None:
        raise not_found(APPLICATION_NOT_FOUND)
    class_for_organizer(application.class_id)
    return application


def own_application(application_id: int, trainee_id: int) -> Application:
    """The trainee's own application, locked (another's reads as not existing)."""
    application = db.session.scalar(
        db.select(Application)
        .where(Application.id == application_id, Application.trainee_id == trainee_id)
        .with_for_update()
    )
    if application is None:
        raise not_found(APPLICATION_NOT_FOUND)
    return application
