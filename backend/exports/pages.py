"""The class page's paperwork forms: 经费决算 (附件6) with its live 合计, 总结报告 (附件4)
and its pictures, and marking the papers sent. The API's schemas and logic throughout."""

from decimal import Decimal

from flask import Blueprint, g, render_template, request
from marshmallow import ValidationError

from backend.auth.models import Role
from backend.classes.access import class_for_organizer
from backend.classes.pages import after_post
from backend.core.transaction import writes
from backend.exports import budget, deadlines, report
from backend.exports.models import WRITTEN_SECTIONS, BudgetItemKind
from backend.exports.routes import picture_upload
from backend.exports.schemas import BudgetInputSchema, Money, ReportInputSchema, SentInputSchema
from backend.web.auth import page_login_required
from backend.web.forms import run_action, run_form

bp = Blueprint("export_pages", __name__)
SENT_KINDS = {"paperwork": deadlines.PAPERWORK, "expenses": deadlines.EXPENSES}


@bp.post("/classes/<int:class_id>/budget")
@writes
@page_login_required(Role.ORGANIZER)
def save_budget(class_id: int):
    training_class = class_for_organizer(class_id)
    _, errors = run_form(
        BudgetInputSchema(), lambda data: budget.save_budget(training_class, data, g.user)
    )
    return after_post(training_class, "budget", errors, "经费决算已保存")


@bp.post("/classes/<int:class_id>/budget/total")
@page_login_required(Role.ORGANIZER)
def budget_total(class_id: int):
    """合计 as the organizer types (htmx): each amount read by the API's Money field."""
    class_for_organizer(class_id)
    amounts, bad = [], []
    for kind in BudgetItemKind:
        text = request.form.get(f"items.{kind.value}.amount", "").strip() or "0"
        try:
            amounts.append(Money().deserialize(text))
        except ValidationError:
            bad.append(kind.label)
    total = budget.total_of(amounts) if not bad else Decimal("0.00")
    error = f"{'、'.join(bad)}的金额有误（应为数字，最多两位小数）" if bad else ""
    return render_template(
        "classes/_budget_total.html", budget={"total": total, "total_error": error}
    )


@bp.post("/classes/<int:class_id>/report")
@writes
@page_login_required(Role.ORGANIZER)
def save_report(class_id: int):
    training_class = class_for_organizer(class_id)
    texts = {str(n): request.form.get(f"sections.{n}", "") for n in WRITTEN_SECTIONS}
    _, errors = run_form(
        ReportInputSchema(),
        lambda data: report.save_sections(training_class, data["sections"], g.user),
        {"sections": texts},
    )
    return after_post(training_class, "report", errors, "总结报告已保存")


@bp.post("/classes/<int:class_id>/report/pictures")
@writes
@page_login_required(Role.ORGANIZER)
def add_picture(class_id: int):
    training_class = class_for_organizer(class_id)
    _, errors = run_action(lambda: report.add_picture(training_class, *picture_upload(), g.user))
    return after_post(training_class, "picture", errors, "图片已上传")


@bp.post("/classes/<int:class_id>/paperwork")
@writes
@page_login_required(Role.ORGANIZER)
def mark_sent(class_id: int):
    training_class = class_for_organizer(class_id)
    kind = SENT_KINDS.get(request.form.get("kind", ""), deadlines.PAPERWORK)
    _, errors = run_form(
        SentInputSchema(),
        lambda data: deadlines.mark_sent(training_class, kind, data.get("date"), g.user),
    )
    return after_post(training_class, "paperwork", errors, "已标记为已报送")
