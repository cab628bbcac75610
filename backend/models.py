"""Every model, imported in one place so Alembic and the CLI see the whole schema."""

from backend.auth.models import Trainee, User
from backend.checkin.models import AttendanceCorrection, CheckIn, CheckInCodeFailure
from backend.classes.models import ChangeNotice, Lecturer, Session, TrainingClass
from backend.enrollment.models import Enrollment
from backend.plans.models import PlanYear, Project, Unit

__all__ = [
    "AttendanceCorrection",
    "ChangeNotice",
    "CheckIn",
    "CheckInCodeFailure",
    "Enrollment",
    "Lecturer",
    "PlanYear",
    "Project",
    "Session",
    "Trainee",
    "TrainingClass",
    "Unit",
    "User",
]
