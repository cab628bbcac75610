"""The province office's plan pages: the year's overview, setting up a year (its numbers, its
projects one by one, from an 附件1 upload or copied from another year) and flagged unit names.

Each form goes through the API's schema and logic (backend/plans/logic.py); no rule lives here.
"""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from backend.audit.logic import record
from backend.auth.models import Role
from backend.classes.models import ClassStatus, TrainingClass
from backend.core.files import xlsx_response
from backend.core.timeutil import today_in_china
from backend.core.transaction import writes
from backend.exports import overview
from backend.extensions import db
from backend.plans import logic, plan_import
from backend.plans.models import PlanYear, Project
from backend.plans.schemas import (
    PlanCopySchema,
    PlanCreateSchema,
    PlanNumbersSchema,
    ProjectInputSchema,
    UnitMergeSchema,
)
from backend.web.auth import page_login_required
from backend.web.forms import Errors, run_action, run_form

bp = Blueprint("plan_pages", __name__, template_folder="templates")
ADMIN = Role.ADMIN
#: The live part of a year (drafts are listed apart).
LIVE = (ClassStatus.SUBMITTED, ClassStatus.APPROVED, ClassStatus.CLOSED)


def admin_home():
    """The province office's home (`/`): this year's overview; while this year has no plan,
    the newest year's, saying so; without any plan, the plan list."""
    year = today_in_china().year
    plan = db.session.get(PlanYear, year) or db.session.scalar(
        db.select(PlanYear).order_by(PlanYear.year.desc()).limit(1)
    )
    if plan is None:
        return plans_index()
    return _overview_page(plan, missing_year=None if plan.year == year else year)


def _years() -> list[dict[str, Any]]:
    return logic.plan_summaries()


@bp.get("/plans")
@page_login_required(ADMIN)
def plans_index(errors: Errors | None = None, form: dict | None = None, status: int = 200):
    """Every plan year, and the form to set up a new one."""
    page = render_template(
        "plans/index.html",
        years=_years(),
        errors=errors or {},
        form=form or {},
        flagged=logic.flagged_units(),
        this_year=today_in_china().year,
        plan=logic.plan_defaults(),
    )
    return page, status


@bp.post("/plans")
@writes
@page_login_required(ADMIN)
def plans_create():
    plan, errors = run_form(PlanCreateSchema(), logic.create_plan)
    if errors:
        return plans_index(errors, request.form, 422)
    flash(f"已建立 {plan.year} 年度计划。下一步：填入本年度的项目（附件1）。")
    return redirect(url_for("plan_pages.plan_setup", year=plan.year))


def _overview_lines(plan: PlanYear) -> dict[str, Any]:
    """The API's overview of the year (same logic), split into live classes and drafts, with
    the projects that have no class yet."""
    data = overview.overview_of(plan, today_in_china())
    projects = logic.projects_of(plan.year)
    with_class = set(
        db.session.scalars(
            db.select(TrainingClass.project_id)
            .join(TrainingClass.project)
            .where(Project.year == plan.year)
        )
    )
    return {
        "today": data["today"],
        "composition": data["composition"],
        "live": [c for c in data["classes"] if c["status"] in LIVE],
        "drafts": [c for c in data["classes"] if c["status"] == ClassStatus.DRAFT],
        "without_class": [p for p in projects if p.id not in with_class],
        "projects": len(projects),
    }


@bp.get("/plans/<int:year>")
@page_login_required(ADMIN)
def year_overview(year: int):
    """The year's overview: every project, its classes and figures, each flag in words."""
    picked = request.args.get("year", type=int)
    if picked is not None and picked != year:
        return redirect(url_for("plan_pages.year_overview", year=picked))
    return _overview_page(logic.plan_or_404(year))


def _overview_page(plan: PlanYear, missing_year: int | None = None) -> str:
    return render_template(
        "plans/overview.html",
        plan=plan,
        years=_years(),
        missing_year=missing_year,
        **_overview_lines(plan),
    )


@bp.get("/plans/<int:year>/overview.xlsx")
@writes
@page_login_required(ADMIN)
def year_overview_xlsx(year: int):
    """The same file as GET /api/v1/plans/{year}/overview.xlsx."""
    content = overview.overview_xlsx(
        overview.overview_of(logic.plan_or_404(year), today_in_china())
    )
    record("export.overview.xlsx", year=year, bytes=len(content))
    return xlsx_response(content, f"{year}年高级研修项目总览.xlsx")


@bp.get("/plans/projects-template.xlsx")
@page_login_required(ADMIN)
def projects_template():
    return xlsx_response(plan_import.template_xlsx(), "附件1项目计划导入模板.xlsx")


def _setup_page(plan: PlanYear, errors: dict[str, Errors] | None = None, status: int = 200):
    """The year's set-up page; `errors` by form (numbers, project, upload, copy, merge)."""
    page = render_template(
        "plans/setup.html",
        plan=plan,
        projects=logic.projects_of(plan.year),
        years=[y for y in _years() if y["year"] != plan.year],
        flagged=logic.flagged_units(),
        units=logic.all_units(),
        errors=errors or {},
        form=request.form if errors else {},
    )
    return page, status


@bp.get("/plans/<int:year>/setup")
@page_login_required(ADMIN)
def plan_setup(year: int):
    return _setup_page(logic.plan_or_404(year))


def _after(plan: PlanYear, form: str, errors: Errors, message: str):
    if errors:
        return _setup_page(plan, {form: errors}, 422)
    flash(message)
    return redirect(url_for("plan_pages.plan_setup", year=plan.year, _anchor=form))


@bp.post("/plans/<int:year>/numbers")
@writes
@page_login_required(ADMIN)
def plan_numbers(year: int):
    plan = logic.plan_or_404(year)
    _, errors = run_form(PlanNumbersSchema(), lambda data: logic.update_plan(plan, data))
    return _after(plan, "numbers", errors, "已保存本年度的期限与标准。")


@bp.post("/plans/<int:year>/projects")
@writes
@page_login_required(ADMIN)
def project_add(year: int):
    plan = logic.plan_or_404(year)
    project, errors = run_form(ProjectInputSchema(), lambda data: logic.add_project(plan, data))
    message = f"已添加项目“{project.name}”。" if project else ""
    if project and project.host_unit.similar_to_id:
        message += f"承办单位“{project.host_unit.name}”与已有单位名称相近，请在下方核对。"
    return _after(plan, "project", errors, message)


@bp.post("/plans/<int:year>/projects/upload")
@writes
@page_login_required(ADMIN)
def project_upload(year: int):
    """附件1 as .xlsx: every row or none; bad rows shown with Excel's row numbers."""
    plan = logic.plan_or_404(year)
    result, errors = run_action(lambda: logic.import_projects(plan, plan_import.uploaded_rows()))
    message = ""
    if result:
        message = f"已导入 {result['created']} 个项目，新建承办单位 {result['units_created']} 个。"
        if result["units_flagged"]:
            message += f"有 {len(result['units_flagged'])} 个单位名称与已有单位相近，请在下方核对。"
    return _after(plan, "upload", errors, message)


@bp.post("/plans/<int:year>/copy")
@writes
@page_login_required(ADMIN)
def project_copy(year: int):
    plan = logic.plan_or_404(year)

    def copy(data):
        return logic.copy_projects(plan, logic.plan_or_404(data["from_year"]))

    result, errors = run_form(PlanCopySchema(), copy)
    message = f"已复制 {result['created']} 个项目，可逐条修改或删除。" if result else ""
    return _after(plan, "copy", errors, message)


@bp.post("/projects/<int:project_id>/delete")
@writes
@page_login_required(ADMIN)
def project_delete(project_id: int):
    project = logic.project_or_404(project_id)
    plan, name = project.plan, project.name
    _, errors = run_action(lambda: logic.delete_project(project))
    return _after(plan, "projects", errors, f"已删除项目“{name}”。")


@bp.post("/units/<int:unit_id>/confirm")
@writes
@page_login_required(ADMIN)
def unit_confirm(unit_id: int):
    unit = logic.unit_or_404(unit_id)
    _, errors = run_action(lambda: logic.confirm_unit(unit))
    flash(errors.get("_form", [f"已确认“{unit.name}”是独立的单位。"])[0])
    return redirect(_back())


@bp.post("/units/<int:unit_id>/merge")
@writes
@page_login_required(ADMIN)
def unit_merge(unit_id: int):
    unit = logic.unit_or_404(unit_id)
    name = unit.name

    def merge(data):
        return logic.merge_unit(unit, logic.unit_or_404(data["into"]))

    into, errors = run_form(UnitMergeSchema(), merge)
    if errors:
        flash("合并未完成：" + "；".join(m for ms in errors.values() for m in ms))
    else:
        flash(f"已将“{name}”合并到“{into.name}”，其项目与账号已转到该单位。")
    return redirect(_back())


def _back() -> str:
    """Back to the page the form was on (a local path only)."""
    target = request.form.get("back", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("plan_pages.plans_index")
