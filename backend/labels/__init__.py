"""Every label set of the app, gathered from the modules that own them, for the API and pages.

Each module keeps the labels of its enums on the enum itself (backend.core.labels); this
package only collects them, so `GET /api/v1/labels`, the console's templates (the `labels`
global) and the dashboards' scripts show the same words.
"""

from typing import Any

from backend.checkin.models import AttendanceState
from backend.classes.models import ClassMode, ClassStatus
from backend.core.labels import LabelledEnum, labels_of
from backend.enrollment.models import AttendanceMode, TitleLevel
from backend.exports.models import BudgetItemKind
from backend.leave.models import RequestStatus
from backend.plans.models import Funding
from backend.recruitment.models import ApplicationStatus
from backend.reminders.models import Kind
from backend.surveys import form

#: The enum label sets by their name in the API.
ENUM_SETS: dict[str, type[LabelledEnum]] = {
    "class_status": ClassStatus,
    "class_mode": ClassMode,
    "funding": Funding,
    "attendance_mode": AttendanceMode,
    "attendance_state": AttendanceState,
    "budget_item": BudgetItemKind,
    "title_level": TitleLevel,
    "application_status": ApplicationStatus,
    "request_status": RequestStatus,
    "reminder_kind": Kind,
}


def all_labels() -> dict[str, Any]:
    """{set: {value: label}} for every enum, and "survey": 附件2's levels, sections and items."""
    return {name: labels_of(enum_class) for name, enum_class in ENUM_SETS.items()} | {
        "survey": form.labels()
    }
