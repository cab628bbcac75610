"""The console's class pages: the home list, new and edit class, the class page and its
opening plan and schedule. Each form goes through the API's schema and logic
(backend.web.forms); access is checked by the API's own helpers."""

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from backend.auth.models import Role
from backend.classes import logic
from backend.classes.access import (
    class_for_organizer,
    class_for_staff,
    lecturers_query,
    session_for_staff,
)
from backend.classes.models import HOURS_RULE, ClassMode, ClassStatus, Lecturer, TrainingClass
from backend.classes.schemas import (
    ClassCreateSchema,
    ClassUpdateSchema,
    LecturerCreateSchema,
    OpeningPlanSchema,
    ReturnSchema,
    SessionCreateSchema,
    SessionUpdateSchema,
)
from backend.core.timeutil import to_china
from backend.core.transaction import writes
from backend.extensions import db
from backend.web.auth import page_login_required
from backend.web.forms import Errors, run_action, run_form

bp = Blueprint("class_pages", __name__, template_folder="templates")
STAFF = (Role.ADMIN, Role.ORGANIZER)
MODE_CHOICES = [(mode.value, mode.label) for mode in ClassMode]


def class_url(class_id: int, section: str = "") -> str:
    return url_for("class_pages.class_page", class_id=class_id) + (f"#{section}" if section else "")


def render_class_page(
    training_class: TrainingClass,
    errors: dict[str, Errors] | None = None,
    form: dict[str, Any] | None = None,
    status: int = 200,
):
    """The class page; `errors` and `form` per section (e.g. "schedule") after a failed post."""
    from backend.web.class_page import class_page_context

    page = request.args.get("page", "1")
    context = class_page_context(
        training_class,
        g.user,
        request.args.get("q", "").strip(),
        int(page) if page.isdigit() else 1,
    )
    page = render_template("classes/page.html", errors=errors or {}, form=form or {}, **context)
    return page, status


@bp.get("/classes/new")
@page_login_required(*STAFF)
def new_class():
    return _class_form(None, {}, {})


@bp.post("/classes/new")
@writes
@page_login_required(*STAFF)
def create_class():
    created, errors = run_form(ClassCreateSchema(), lambda data: logic.open_class(g.user, data))
    if errors:
        return _class_form(None, request.form, errors, 422)
    _flash_saved(created)
    return redirect(class_url(created.id))


@bp.get("/classes/<int:class_id>/edit")
@page_login_required(*STAFF)
def edit_class(class_id: int):
    training_class = class_for_staff(class_id)
    return _class_form(training_class, _class_values(training_class), {})


@bp.post("/classes/<int:class_id>/edit")
@writes
@page_login_required(*STAFF)
def update_class(class_id: int):
    training_class = class_for_staff(class_id)
    _, errors = run_form(
        ClassUpdateSchema(), lambda data: logic.update_class(training_class, data, g.user)
    )
    if errors:
        return _class_form(training_class, request.form, errors, 422)
    _flash_saved(training_class)
    return redirect(class_url(class_id))


def _flash_saved(training_class: TrainingClass) -> None:
    flash("已保存")
    for warning in logic.warnings_of(training_class):
        flash(f"提醒：{warning}")


def _class_values(training_class: TrainingClass) -> dict[str, Any]:
    return {
        "project_id": training_class.project_id,
        "location": training_class.location,
        "start_date": training_class.start_date.isoformat(),
        "end_date": training_class.end_date.isoformat(),
        "capacity": training_class.capacity,
        "mode": training_class.mode.value,
    }


def _class_form(training_class, values, errors: Errors, status: int = 200):
    year = training_class.project.year if training_class else None
    projects = [
        (p.id, f"{p.name}（{p.year} 年度）")
        for p in ([] if training_class else logic.projects_for(g.user, year))
    ]
    page = render_template(
        "classes/form.html",
        training_class=training_class,
        projects=projects,
        values=values,
        errors=errors,
        modes=MODE_CHOICES,
        needs_reason=bool(training_class and training_class.status == ClassStatus.APPROVED),
    )
    return page, status


@bp.get("/classes/<int:class_id>")
@page_login_required(*STAFF)
def class_page(class_id: int):
    return render_class_page(class_for_staff(class_id))


@bp.post("/classes/<int:class_id>/opening-plan")
@writes
@page_login_required(Role.ORGANIZER)
def submit_opening_plan(class_id: int):
    training_class = class_for_organizer(class_id)
    _, errors = run_form(
        OpeningPlanSchema(),
        lambda data: logic.submit_opening_plan(training_class, data["summary"], g.user),
    )
    return after_post(training_class, "plan", errors, "开班实施方案已提交，等待省人社厅审核")


@bp.post("/classes/<int:class_id>/opening-plan/approve")
@writes
@page_login_required(Role.ADMIN)
def approve_opening_plan(class_id: int):
    training_class = class_for_staff(class_id, roles=("admin",))
    _, errors = run_action(lambda: logic.approve_opening_plan(training_class, g.user))
    return after_post(training_class, "plan", errors, ClassStatus.APPROVED.label)


@bp.post("/classes/<int:class_id>/opening-plan/return")
@writes
@page_login_required(Role.ADMIN)
def return_opening_plan(class_id: int):
    training_class = class_for_staff(class_id, roles=("admin",))
    _, errors = run_form(
        ReturnSchema(),
        lambda data: logic.return_opening_plan(training_class, data["reason"], g.user),
    )
    return after_post(training_class, "plan", errors, "已退回修改")


@bp.post("/classes/<int:class_id>/sessions")
@writes
@page_login_required(*STAFF)
def add_session(class_id: int):
    training_class = class_for_staff(class_id)
    _, errors = run_form(
        SessionCreateSchema(), lambda data: logic.add_session(training_class, data, g.user)
    )
    return after_post(training_class, "schedule", errors, "已添加课程")


@bp.get("/sessions/<int:session_id>/edit")
@page_login_required(*STAFF)
def edit_session(session_id: int):
    session = session_for_staff(session_id)
    values = {
        "topic": session.topic,
        "lecturer_id": session.lecturer_id,
        "starts_at": to_china(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": to_china(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "venue": session.venue,
        "credit_hours": "" if session.credit_hours is None else f"{session.credit_hours:g}",
    }
    return _session_form(session, values, {})


@bp.post("/sessions/<int:session_id>/edit")
@writes
@page_login_required(*STAFF)
def update_session(session_id: int):
    session = session_for_staff(session_id)
    training_class = class_for_staff(session.class_id)
    _, errors = run_form(
        SessionUpdateSchema(),
        lambda data: logic.update_session(training_class, session, data, g.user),
    )
    if errors:
        return _session_form(session, request.form, errors, 422)
    flash("课程已保存")
    return redirect(class_url(training_class.id, "schedule"))


@bp.post("/sessions/<int:session_id>/delete")
@writes
@page_login_required(*STAFF)
def delete_session(session_id: int):
    session = session_for_staff(session_id)
    training_class = class_for_staff(session.class_id)
    _, errors = run_action(lambda: logic.remove_session(training_class, session, g.user))
    return after_post(training_class, "schedule", errors, "已删除课程")


def _session_form(session, values, errors: Errors, status: int = 200):
    training_class = class_for_staff(session.class_id)
    page = render_template(
        "classes/session_form.html",
        session=session,
        training_class=training_class,
        lecturers=lecturer_choices(),
        values=values,
        errors=errors,
        needs_reason=training_class.status == ClassStatus.APPROVED,
        hours_hint=HOURS_RULE,
        default_hours=session.default_hours,
    )
    return page, status


@bp.post("/classes/<int:class_id>/lecturers")
@writes
@page_login_required(*STAFF)
def add_lecturer(class_id: int):
    training_class = class_for_staff(class_id)
    _, errors = run_form(LecturerCreateSchema(), lambda data: logic.add_lecturer(g.user, data))
    return after_post(training_class, "schedule", errors, "已添加授课人，可在“授课人”中选择")


def lecturer_choices() -> list[tuple[int, str]]:
    """The lecturers the page's user may schedule (their unit's; the admin: all)."""
    query = lecturers_query(g.user)
    lecturers = db.session.scalars(query.order_by(Lecturer.name, Lecturer.id))
    return [
        (
            lecturer.id,
            " · ".join(p for p in (lecturer.name, lecturer.title, lecturer.organization) if p),
        )
        for lecturer in lecturers
    ]


def after_post(training_class: TrainingClass, section: str, errors: Errors, done: str):
    """Back to the class page's section; on errors, the page again with them (422)."""
    if errors:
        return render_class_page(training_class, {section: errors}, {section: request.form}, 422)
    flash(done)
    return redirect(class_url(training_class.id, section))
