"""HTTP endpoints of the paperwork (附件2–6), its deadlines, and the year's overview.

Each handler: load the class for the caller (another unit's class is 404), gather the
form's data, render it (a pure function: data → bytes), answer.
"""

from flask import Response, request
from flask_smorest import Blueprint

from backend.audit.logic import record_read
from backend.auth.access import current_user, require
from backend.auth.models import Role
from backend.classes.access import class_for_organizer, class_for_staff
from backend.core.errors import not_found, validation_failed
from backend.core.files import DOCX, XLSX, download, xlsx_response
from backend.core.schemas import clean_text
from backend.core.timeutil import today_in_china
from backend.exports import budget, deadlines, overview, report, roster, survey_form, tally
from backend.exports.schemas import (
    BudgetInputSchema,
    BudgetSchema,
    OverviewQuerySchema,
    OverviewSchema,
    PictureSchema,
    ReportInputSchema,
    ReportSchema,
    SentInputSchema,
    SubmissionSchema,
)
from backend.extensions import db
from backend.plans.models import PlanYear

blp = Blueprint("exports", __name__, description="上报材料（附件2–6）、报送期限与年度总览")

CSV = "text/csv; charset=utf-8"
PICTURE_UPLOAD_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "caption": {"type": "string", "maxLength": 200},
                    },
                    "required": ["file"],
                }
            }
        }
    }
}


def _deliver(training_class, export: str, data: bytes, form: str, mimetype: str):
    """Send a file named after the form and the class, and record the export."""
    extension = export.rsplit(".", 1)[1]
    filename = f"{form}-{training_class.title}.{extension}"
    class_id = training_class.id
    record_read(f"export.{export}", class_id=class_id, bytes=len(data))
    return download(data, filename, mimetype)


@blp.route("/classes/<int:class_id>/exports/roster.xlsx", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=XLSX)
def roster_xlsx(class_id):
    """附件5 研修人员名单 with attendance per session. Phones in full for the organizers."""
    training_class = class_for_staff(class_id)
    data = roster.gather(training_class, full_phones=current_user().role == Role.ORGANIZER)
    return _deliver(
        training_class, "roster.xlsx", roster.roster_xlsx(data), "附件5-研修人员名单", XLSX
    )


@blp.route("/classes/<int:class_id>/exports/roster.csv", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=CSV)
def roster_csv(class_id):
    """附件5 as CSV, UTF-8 with a BOM."""
    training_class = class_for_staff(class_id)
    data = roster.gather(training_class, full_phones=current_user().role == Role.ORGANIZER)
    return _deliver(
        training_class, "roster.csv", roster.roster_csv(data), "附件5-研修人员名单", CSV
    )


@blp.route("/classes/<int:class_id>/exports/tally.xlsx", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=XLSX)
def tally_xlsx(class_id):
    """附件3 学员满意度测评统计表, the same numbers as GET /classes/{id}/survey/stats."""
    training_class = class_for_staff(class_id)
    data = tally.gather(training_class)
    return _deliver(
        training_class, "tally.xlsx", tally.tally_xlsx(data), "附件3-学员满意度测评统计表", XLSX
    )


@blp.route("/classes/<int:class_id>/exports/survey-form.xlsx", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=XLSX)
def survey_form_xlsx(class_id):
    """附件2 学员满意度测评表, blank, with this class's sessions, to print."""
    training_class = class_for_staff(class_id)
    data = survey_form.gather(training_class)
    return _deliver(
        training_class,
        "survey-form.xlsx",
        survey_form.survey_form_xlsx(data),
        "附件2-学员满意度测评表",
        XLSX,
    )


@blp.route("/classes/<int:class_id>/exports/report.docx", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=DOCX)
def report_docx(class_id):
    """附件4 总结报告: 一 and 五 from data, the rest as the organizer wrote it."""
    training_class = class_for_staff(class_id)
    data = report.gather(training_class)
    return _deliver(training_class, "report.docx", report.report_docx(data), "附件4-总结报告", DOCX)


@blp.route("/classes/<int:class_id>/exports/budget.xlsx", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=XLSX)
def budget_xlsx(class_id):
    """附件6 经费决算表 (blank amounts until PUT /classes/{id}/budget)."""
    training_class = class_for_staff(class_id)
    data = budget.gather(training_class)
    return _deliver(
        training_class, "budget.xlsx", budget.budget_xlsx(data), "附件6-经费决算表", XLSX
    )


@blp.route("/classes/<int:class_id>/budget", methods=["PUT"])
@require(Role.ORGANIZER)
@blp.arguments(BudgetInputSchema)
@blp.response(200, BudgetSchema)
def put_budget(data, class_id):
    """Fill or replace 附件6; 合计 is computed. The subsidy is at most the plan year's cap for a
    fiscal-funded project, 0 for a self-funded one, and never more than 合计."""
    training_class = class_for_organizer(class_id)
    return budget.budget_view(budget.save_budget(training_class, data, current_user()))


@blp.route("/classes/<int:class_id>/budget", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, BudgetSchema)
def get_budget(class_id):
    training_class = class_for_staff(class_id)
    stored = budget.budget_of(training_class.id)
    if stored is None:
        raise not_found("尚未填写经费决算表")
    return budget.budget_view(stored)


@blp.route("/classes/<int:class_id>/report", methods=["PUT"])
@require(Role.ORGANIZER)
@blp.arguments(ReportInputSchema)
@blp.response(200, ReportSchema)
def put_report(data, class_id):
    """The organizer's sections 二 三 四 六 七 ({"sections": {"2": "…"}}); others become empty."""
    training_class = class_for_organizer(class_id)
    report.save_sections(training_class, data["sections"], current_user())
    return report.report_view(training_class.id)


@blp.route("/classes/<int:class_id>/report", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, ReportSchema)
def get_report(class_id):
    return report.report_view(class_for_staff(class_id).id)


@blp.route("/classes/<int:class_id>/report/pictures", methods=["POST"])
@require(Role.ORGANIZER)
@blp.doc(**PICTURE_UPLOAD_DOC)
@blp.response(201, PictureSchema)
def add_picture(class_id):
    """A PNG or JPEG picture for section 三 (at most 4 MB), with an optional caption."""
    training_class = class_for_organizer(class_id)
    return report.add_picture(training_class, *uploaded_picture(), current_user())


def uploaded_picture() -> tuple[bytes, str]:
    """The picture (multipart field `file`) and its caption, or 422 naming the field."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise validation_failed({"file": ["请选择要上传的图片（PNG 或 JPEG）"]})
    caption = clean_text(request.form.get("caption", ""))
    if len(caption) > 200:
        raise validation_failed({"caption": ["最多 200 个字"]})
    return upload.read(), caption


@blp.route("/classes/<int:class_id>/report/pictures/<int:picture_id>", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type="image/*")
def get_picture(class_id, picture_id):
    picture = report.picture_of(class_for_staff(class_id).id, picture_id)
    return Response(picture.data, mimetype=picture.content_type)


@blp.route("/classes/<int:class_id>/report/pictures/<int:picture_id>", methods=["DELETE"])
@require(Role.ORGANIZER)
@blp.response(204)
def delete_picture(class_id, picture_id):
    db.session.delete(report.picture_of(class_for_organizer(class_id).id, picture_id))


def _mark(class_id: int, kind: str, data: dict) -> dict:
    """Record the sending day; the page's 标记为已报送 calls the same deadlines.mark_sent."""
    training_class = class_for_organizer(class_id)
    deadlines.mark_sent(training_class, kind, data.get("date"), current_user())
    return deadlines.deadline_state(training_class, today_in_china())


@blp.route("/classes/<int:class_id>/paperwork/sent", methods=["POST"])
@require(Role.ORGANIZER)
@blp.arguments(SentInputSchema)
@blp.response(200, SubmissionSchema)
def paperwork_sent(data, class_id):
    """The report, tally, roster and budget were sent (due 15 days after the end)."""
    return _mark(class_id, deadlines.PAPERWORK, data)


@blp.route("/classes/<int:class_id>/expenses/sent", methods=["POST"])
@require(Role.ORGANIZER)
@blp.arguments(SentInputSchema)
@blp.response(200, SubmissionSchema)
def expenses_sent(data, class_id):
    """The expense papers were sent (due 1 month after the end)."""
    return _mark(class_id, deadlines.EXPENSES, data)


@blp.route("/classes/<int:class_id>/submission", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, SubmissionSchema)
def get_submission(class_id):
    """Due dates, sending dates and flags of the class, as of today in China."""
    return deadlines.deadline_state(class_for_staff(class_id), today_in_china())


def _plan(year: int) -> PlanYear:
    plan = db.session.get(PlanYear, year)
    if plan is None:
        raise not_found("找不到该年度计划")
    return plan


@blp.route("/plans/<int:year>/overview", methods=["GET"])
@require(Role.ADMIN)
@blp.arguments(OverviewQuerySchema, location="query")
@blp.response(200, OverviewSchema)
def get_overview(query, year):
    """Every class of the year with its figures and the rules it breaks as of `today`
    (default: today in China)."""
    return overview.overview_of(_plan(year), query.get("today") or today_in_china())


@blp.route("/plans/<int:year>/overview.xlsx", methods=["GET"])
@require(Role.ADMIN)
@blp.arguments(OverviewQuerySchema, location="query")
@blp.response(200, content_type=XLSX)
def get_overview_xlsx(query, year):
    data = overview.overview_of(_plan(year), query.get("today") or today_in_china())
    content = overview.overview_xlsx(data)
    record_read("export.overview.xlsx", year=year, bytes=len(content))
    return xlsx_response(content, f"{year}年高级研修项目总览.xlsx")
