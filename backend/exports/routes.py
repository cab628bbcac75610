"""HTTP endpoints of the paperwork (附件2–6), its deadlines, and the year's overview.

Each handler: load the class for the caller (another unit's class is 404), gather the
form's data, render it (a pure function: data → bytes), answer.
"""

from flask import Response, request
from flask_smorest import Blueprint

from backend.audit.logic import record
from backend.auth.access import current_user, require
from backend.auth.models import Role
from backend.classes.access import class_for_organizer, class_for_staff
from backend.core.errors import not_found, validation_failed
from backend.core.files import DOCX, XLSX, download, xlsx_response
from backend.core.schemas import clean_text
from backend.core.timeutil import today_in_china
from backend.core.transaction import writes
from backend.exports import (
    budget,
    deadlines,
    news,
    overview,
    report,
    roster,
    submission,
    survey_form,
    tally,
)
from backend.exports.schemas import (
    BudgetInputSchema,
    BudgetSchema,
    NewsInputSchema,
    NewsPatchSchema,
    NewsSchema,
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
    record(f"export.{export}", class_id=class_id, bytes=len(data))
    return download(data, filename, mimetype)


@blp.route("/classes/<int:class_id>/exports/roster.xlsx", methods=["GET"])
@writes  # the export is audited
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
@writes  # the export is audited
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
@writes  # the export is audited
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
@writes  # the export is audited
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
@writes  # the export is audited
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=DOCX)
def report_docx(class_id):
    """附件4 总结报告: 一 and 五 from data, the rest as the organizer wrote it."""
    training_class = class_for_staff(class_id)
    data = report.gather(training_class)
    return _deliver(training_class, "report.docx", report.report_docx(data), "附件4-总结报告", DOCX)


@blp.route("/classes/<int:class_id>/exports/budget.xlsx", methods=["GET"])
@writes  # the export is audited
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
@writes
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
@writes
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
@writes
@require(Role.ORGANIZER)
@blp.doc(**PICTURE_UPLOAD_DOC)
@blp.response(201, PictureSchema)
def add_picture(class_id):
    """A PNG or JPEG picture for section 三 (at most 4 MB), with an optional caption."""
    training_class = class_for_organizer(class_id)
    data, caption = picture_upload()
    return report.add_picture(training_class, data, caption, current_user())


@blp.route("/classes/<int:class_id>/report/pictures/<int:picture_id>", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type="image/*")
def get_picture(class_id, picture_id):
    picture = report.picture_of(class_for_staff(class_id).id, picture_id)
    return Response(picture.data, mimetype=picture.content_type)


@blp.route("/classes/<int:class_id>/report/pictures/<int:picture_id>", methods=["DELETE"])
@writes
@require(Role.ORGANIZER)
@blp.response(204)
def delete_picture(class_id, picture_id):
    db.session.delete(report.picture_of(class_for_organizer(class_id).id, picture_id))


def picture_upload() -> tuple[bytes, str]:
    """The multipart picture (`file`) and its caption, as the report's and the news' take them."""
    upload = request.files.get("file")
    if upload is None:
        raise validation_failed({"file": ["请选择要上传的图片（PNG 或 JPEG）"]})
    caption = clean_text(request.form.get("caption", ""))
    if len(caption) > 200:
        raise validation_failed({"caption": ["最多 200 个字"]})
    return upload.read(), caption


@blp.route("/classes/<int:class_id>/news", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, NewsSchema(many=True))
def list_news(class_id):
    """图文动态信息 of the class, in the order things happened."""
    return news.news_view(class_for_staff(class_id).id)


@blp.route("/classes/<int:class_id>/news", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(NewsInputSchema)
@blp.response(201, NewsSchema)
def add_news(data, class_id):
    """A news item: title, date (within a month of the class) and text; pictures follow."""
    item = news.add_item(class_for_organizer(class_id), data, current_user())
    return news.item_view(item, [])


def _news_for_organizer(news_id: int):
    item = news.item_of(news_id)
    return class_for_organizer(item.class_id), item


@blp.route("/news/<int:news_id>", methods=["PATCH"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(NewsPatchSchema)
@blp.response(200, NewsSchema)
def update_news(data, news_id):
    training_class, item = _news_for_organizer(news_id)
    news.update_item(training_class, item, data)
    return news.item_view(item, news.pictures_of([item.id])[item.id])


@blp.route("/news/<int:news_id>", methods=["DELETE"])
@writes
@require(Role.ORGANIZER)
@blp.response(204)
def delete_news(news_id):
    news.delete_item(_news_for_organizer(news_id)[1])


@blp.route("/news/<int:news_id>/pictures", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.doc(**PICTURE_UPLOAD_DOC)
@blp.response(201, PictureSchema)
def add_news_picture(news_id):
    """A PNG or JPEG (at most 4 MB) with an optional caption, printed under the item."""
    _training_class, item = _news_for_organizer(news_id)
    data, caption = picture_upload()
    return news.add_picture(item, data, caption, current_user())


@blp.route("/news/<int:news_id>/pictures/<int:picture_id>", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type="image/*")
def get_news_picture(news_id, picture_id):
    item = news.item_of(news_id)
    class_for_staff(item.class_id)
    found = news.picture_of(item, picture_id)
    return Response(found.data, mimetype=found.content_type)


@blp.route("/news/<int:news_id>/pictures/<int:picture_id>", methods=["DELETE"])
@writes
@require(Role.ORGANIZER)
@blp.response(204)
def delete_news_picture(news_id, picture_id):
    _training_class, item = _news_for_organizer(news_id)
    db.session.delete(news.picture_of(item, picture_id))


@blp.route("/classes/<int:class_id>/exports/news.docx", methods=["GET"])
@writes
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type=DOCX)
def news_docx(class_id):
    """图文动态信息: every news item with its pictures, one Word document."""
    training_class = class_for_staff(class_id)
    data = news.news_docx(news.gather(training_class))
    return _deliver(training_class, "news.docx", data, "图文动态信息", DOCX)


@blp.route("/classes/<int:class_id>/exports/submission.zip", methods=["GET"])
@writes
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type="application/zip")
def submission_zip(class_id):
    """The papers the province receives (附件3, 附件4, 附件5, 附件6, 图文动态信息, and the
    学时登记表 once certificates are issued), each named as the office files them; what
    POST /classes/{id}/paperwork/sent refers to."""
    training_class = class_for_staff(class_id)
    data = submission.submission_zip(
        training_class, full_phones=current_user().role == Role.ORGANIZER
    )
    record("export.submission.zip", class_id=training_class.id, bytes=len(data))
    return download(data, submission.package_name(training_class), "application/zip")


def _mark(class_id: int, kind: str, data: dict) -> dict:
    """Record the sending day; the page's 标记为已报送 calls the same deadlines.mark_sent."""
    training_class = class_for_organizer(class_id)
    deadlines.mark_sent(training_class, kind, data.get("date"), current_user())
    return deadlines.deadline_state(training_class, today_in_china())


@blp.route("/classes/<int:class_id>/paperwork/sent", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(SentInputSchema)
@blp.response(200, SubmissionSchema)
def paperwork_sent(data, class_id):
    """The papers of GET /classes/{id}/exports/submission.zip were sent (due 15 days after
    the end)."""
    return _mark(class_id, deadlines.PAPERWORK, data)


@blp.route("/classes/<int:class_id>/expenses/sent", methods=["POST"])
@writes
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
@writes  # the export is audited
@require(Role.ADMIN)
@blp.arguments(OverviewQuerySchema, location="query")
@blp.response(200, content_type=XLSX)
def get_overview_xlsx(query, year):
    data = overview.overview_of(_plan(year), query.get("today") or today_in_china())
    content = overview.overview_xlsx(data)
    record("export.overview.xlsx", year=year, bytes=len(content))
    return xlsx_response(content, f"{year}年高级研修项目总览.xlsx")
