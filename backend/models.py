"""Every model, imported in one place so Alembic and the CLI see the whole schema."""

from backend.audit.models import AuditEntry
from backend.auth.models import Trainee, User
from backend.checkin.models import AttendanceCorrection, CheckIn
from backend.classes.models import ChangeNotice, Lecturer, Session, TrainingClass
from backend.completion.models import Certificate, CompletionRule
from backend.enrollment.models import Enrollment
from backend.exports.models import (
    Budget,
    BudgetItem,
    NewsItem,
    NewsPicture,
    ReportPicture,
    ReportSection,
    Submission,
)
from backend.plans.models import PlanYear, Project, Unit
from backend.reminders.models import Reminder, SubscriptionCredit
from backend.surveys.models import (
    SurveyAnswer,
    SurveyHeldForm,
    SurveyReceipt,
    SurveySettings,
    SurveySuggestion,
)

__all__ = [
    "AttendanceCorrection",
    "AuditEntry",
    "Budget",
    "BudgetItem",
    "Certificate",
    "ChangeNotice",
    "CompletionRule",
    "CheckIn",
    "Enrollment",
    "Lecturer",
    "PlanYear",
    "Project",
    "NewsItem",
    "NewsPicture",
    "ReportPicture",
    "Reminder",
    "ReportSection",
    "Session",
    "Submission",
    "SubscriptionCredit",
    "SurveyAnswer",
    "SurveyHeldForm",
    "SurveyReceipt",
    "SurveySettings",
    "SurveySuggestion",
    "Trainee",
    "TrainingClass",
    "Unit",
    "User",
]
