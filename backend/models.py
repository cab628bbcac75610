"""Every model, imported in one place so Alembic and the CLI see the whole schema."""

from backend.audit.models import AuditEntry
from backend.auth.models import Trainee, User
from backend.checkin.models import AttendanceCorrection, CheckIn, CheckInCodeFailure
from backend.classes.models import ChangeNotice, Lecturer, Session, TrainingClass
from backend.completion.models import Certificate, CompletionRule
from backend.enrollment.models import Enrollment
from backend.exports.models import (
    Budget,
    BudgetItem,
    ReportPicture,
    ReportSection,
    Submission,
)
from backend.plans.models import PlanYear, Project, Unit
from backend.surveys.models import SurveyAnswer, SurveyReceipt, SurveySettings, SurveySuggestion

__all__ = [
    "AttendanceCorrection",
    "AuditEntry",
    "Budget",
    "BudgetItem",
    "Certificate",
    "ChangeNotice",
    "CompletionRule",
    "CheckIn",
    "CheckInCodeFailure",
    "Enrollment",
    "Lecturer",
    "PlanYear",
    "Project",
    "ReportPicture",
    "ReportSection",
    "Session",
    "Submission",
    "SurveyAnswer",
    "SurveyReceipt",
    "SurveySettings",
    "SurveySuggestion",
    "Trainee",
    "TrainingClass",
    "Unit",
    "User",
]
