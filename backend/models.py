"""Every model, imported in one place so Alembic and the CLI see the whole schema."""

from backend.audit.models import AuditEntry
from backend.auth.models import Trainee, User
from backend.checkin.models import AttendanceCorrection, CheckIn
from backend.checkout.models import Checkout, CheckoutSetting
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
from backend.leave.models import CheckinRequest, LeaveRequest, LeaveSession
from backend.plans.models import PlanYear, Project, Unit
from backend.recruitment.models import Application, Recruitment
from backend.reminders.models import Reminder, SubscriptionCredit
from backend.surveys.models import (
    SurveyAnswer,
    SurveyHeldForm,
    SurveyReceipt,
    SurveySettings,
    SurveySuggestion,
)

__all__ = [
    "Application",
    "AttendanceCorrection",
    "AuditEntry",
    "Budget",
    "BudgetItem",
    "Certificate",
    "ChangeNotice",
    "CompletionRule",
    "CheckIn",
    "CheckinRequest",
    "Checkout",
    "CheckoutSetting",
    "Enrollment",
    "LeaveRequest",
    "LeaveSession",
    "Lecturer",
    "PlanYear",
    "Project",
    "NewsItem",
    "NewsPicture",
    "Recruitment",
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
