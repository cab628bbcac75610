"""Who may see a certificate: the admin and its class's organizers (others get 404)."""

from backend.classes.access import is_staff_of
from backend.classes.models import TrainingClass
from backend.completion import logic
from backend.completion.models import Certificate
from backend.core.errors import not_found
from backend.extensions import db

CERTIFICATE_NOT_FOUND = "找不到该证书"


def certificate_for_staff(number: str) -> Certificate:
    """The certificate, for the admin or its class's organizers (others: 404)."""
    certificate = logic.certificate_by_number(number)
    if not is_staff_of(db.session.get(TrainingClass, certificate.class_id)):
        raise not_found(CERTIFICATE_NOT_FOUND)
    return certificate
