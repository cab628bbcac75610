"""The province office's work pages: the approval queue of opening plans, accounts, the audit
trail and purging a closed class's personal data.

Each action goes through the API's schema and logic function (classes.logic, auth.logic,
audit.logic, privacy.logic) and the API's access helpers; no rule lives here.
"""

from datetime import timedelta

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, ValidationError, fields, validate

from backend.accounts.logic import create_account
from backend.accounts.schemas import AccountSchema
from backend.audit.logic import entries
from backend.audit.routes import AuditQuerySchema
from backend.auth import logic as accounts
from backend.auth.models import Role, User
from backend.auth.schemas import PasswordResetSchema
from backend.classes import logic as classes
from backend.classes.access import class_for_staff
from backend.classes.models import ClassStatus, Lecturer
from backend.classes.schemas import ReturnSchema
from backend.core.errors import flatten_messages
from backend.core.timeutil import today_in_china
from backend.core.transaction import writes
from backend.extensions import db
from backend.plans.logic import all_units
from backend.privacy.logic import purge_class
from backend.web.auth import page_login_required
from backend.web.forms import Errors, run_action, run_form
from backend.web.setup import ROLE_NAMES

bp = Blueprint("admin_pages", __name__, template_folder="templates")
ADMIN = Role.ADMIN
#: What the person types to confirm a purge: the action cannot be undone.
PURGE_WORD = "确认清除"


def _admin_class(class_id: int):
    return class_for_staff(class_id, roles=("admin",))


# -- approval queue ----------------------------------------------------------------------


@bp.get("/approvals")
@page_login_required(ADMIN)
def approvals(errors: dict[int, Errors] | None = None, status: int = 200):
    """Every submitted opening plan with its text, oldest class first."""
    waiting = classes.visible_classes(_me(), status=ClassStatus.SUBMITTED.value)
    queue = [
        {"c": c, "warnings": classes.warnings_of(c), "history": classes.plan_history(c.id)}
        for c in waiting
    ]
    page = render_template("admin/approvals.html", queue=queue, errors=errors or {})
    return page, status


@bp.post("/approvals/<int:class_id>/approve")
@writes
@page_login_required(ADMIN)
def approve(class_id: int):
    training_class = _admin_class(class_id)
    _, errors = run_action(lambda: classes.approve_opening_plan(training_class, _me()))
    return _decided(training_class, errors, f"已审核通过“{training_class.title}”的开班实施方案。")


@bp.post("/approvals/<int:class_id>/return")
@writes
@page_login_required(ADMIN)
def send_back(class_id: int):
    training_class = _admin_class(class_id)

    def send(data):
        return classes.return_opening_plan(training_class, data["reason"], _me())

    _, errors = run_form(ReturnSchema(), send)
    return _decided(
        training_class, errors, f"已将“{training_class.title}”退回修改，承办单位会看到原因。"
    )


def _decided(training_class, errors: Errors, message: str):
    if errors:
        return approvals({training_class.id: errors}, 422)
    flash(message)
    return redirect(url_for("admin_pages.approvals"))


def _me() -> User:
    return g.user


# -- accounts ----------------------------------------------------------------------------


def _accounts_page(errors: dict[str, Errors] | None = None, status: int = 200):
    users = accounts.users_of(None, None)
    units = all_units()
    lecturers = db.session.scalars(db.select(Lecturer).order_by(Lecturer.name)).all()
    organizers = [a for a in users if a.role == Role.ORGANIZER]
    with_accounts = {a.unit_id for a in organizers}
    page = render_template(
        "admin/accounts.html",
        units=units,
        organizers=organizers,
        unit_names={u.id: u.name for u in units},
        units_without=[u for u in units if u.id not in with_accounts],
        lecturer_accounts=[a for a in users if a.role == Role.LECTURER],
        admins=[a for a in users if a.role == Role.ADMIN],
        unit_options=[(u.id, u.name) for u in units],
        lecturer_options=[(lec.id, lec.name) for lec in lecturers],
        lecturer_names={lec.id: lec.name for lec in lecturers},
        errors=errors or {},
        form=request.form if errors else {},
        chosen_unit=request.args.get("unit_id", type=int),
    )
    return page, status


@bp.get("/accounts")
@page_login_required(ADMIN)
def accounts_page():
    """Organizers per unit, lecturers' accounts: create, reset a password, disable."""
    return _accounts_page()


@bp.post("/accounts")
@writes
@page_login_required(ADMIN)
def account_create():
    user, errors = run_form(AccountSchema(), lambda data: create_account(data, _me()))
    if errors:
        return _accounts_page({"create": errors}, 422)
    flash(f"已建立账号 {user.username}，请把用户名和初始密码告知本人。")
    return redirect(url_for("admin_pages.accounts_page", _anchor=f"user-{user.id}"))


@bp.post("/accounts/<int:user_id>/password")
@writes
@page_login_required(ADMIN)
def account_password(user_id: int):
    user = accounts.user_or_404(user_id)
    _, errors = run_form(
        PasswordResetSchema(), lambda data: accounts.reset_password(user, data["password"])
    )
    if errors:
        return _accounts_page({f"password-{user.id}": errors}, 422)
    flash(f"已重置 {user.username} 的密码，原有登录已失效。")
    return redirect(url_for("admin_pages.accounts_page", _anchor=f"user-{user.id}"))


@bp.post("/accounts/<int:user_id>/<any(disable, enable):action>")
@writes
@page_login_required(ADMIN)
def account_switch(user_id: int, action: str):
    user = accounts.user_or_404(user_id)
    _, errors = run_action(lambda: accounts.set_disabled(_me(), user, action == "disable"))
    if errors:
        flash(errors["_form"][0])
    else:
        flash(f"已{'停用' if action == 'disable' else '启用'}账号 {user.username}。")
    return redirect(url_for("admin_pages.accounts_page", _anchor=f"user-{user.id}"))


# -- audit trail -------------------------------------------------------------------------


#: The kinds of entry the filter offers (an action prefix) and the words shown for actions
#: and detail keys; an action or key not listed shows as recorded.
ACTION_KINDS = [
    ("class", "研修班"),
    ("user", "账号"),
    ("plan", "年度计划"),
    ("project", "项目"),
    ("unit", "承办单位"),
    ("export", "材料导出"),
]
ACTION_LABELS = {
    "class.submit": "提交开班实施方案",
    "class.approve": "审核通过",
    "class.return": "退回修改",
    "class.change": "变更（情况说明）",
    "user.create": "新建账号",
    "user.password_reset": "重置密码",
    "user.disable": "停用账号",
    "user.enable": "启用账号",
    "plan.create": "新建年度计划",
    "plan.update": "修改年度期限与标准",
    "project.create": "添加项目",
    "project.import": "导入附件1",
    "project.copy": "复制其他年度项目",
    "project.update": "修改项目",
    "project.delete": "删除项目",
    "unit.merge": "合并单位",
    "unit.confirm": "确认单位名称",
}
DETAIL_LABELS = {
    "year": "年度",
    "notice": "文号",
    "created": "条数",
    "from_year": "来源年度",
    "username": "用户名",
    "role": "角色",
    "unit": "单位",
    "into": "合并到",
    "similar_to": "相近单位",
    "name": "名称",
    "project_id": "项目编号",
    "field": "字段",
    "old": "原值",
    "new": "新值",
    "reason": "原因",
    "bytes": "字节",
}
#: Detail values shown in words, by key.
DETAIL_VALUES = {"role": ROLE_NAMES}


class AuditFilterSchema(AuditQuerySchema):
    """The API's filters, plus a log-in name for people who do not know user ids."""

    username = fields.String(validate=validate.Length(max=50))


@bp.get("/audit")
@page_login_required(ADMIN)
def audit():
    """The audit trail, newest first, with the API's filters."""
    raw = {k: v for k, v in request.args.items() if v.strip()}
    try:
        query = AuditFilterSchema().load(raw)
        errors: Errors = {}
    except ValidationError as error:
        query, errors = {"limit": 100}, flatten_messages(error.messages)
    user_id = query.get("user_id")
    if query.get("username"):
        user_id = db.session.scalar(db.select(User.id).where(User.username == query["username"]))
        user_id = user_id if user_id is not None else -1
    rows = entries(
        query.get("class_id"), user_id, query.get("action"), query.get("before_id"), query["limit"]
    )
    older = None
    if len(rows) == query["limit"]:
        kept = {k: v for k, v in raw.items() if k != "before_id"}
        older = url_for("admin_pages.audit", before_id=rows[-1].id, **kept)
    page = render_template(
        "admin/audit.html",
        rows=rows,
        filters=raw,
        errors=errors,
        older=older,
        kinds=[("", "全部")] + ACTION_KINDS,
        action_labels=ACTION_LABELS,
        detail_labels=DETAIL_LABELS,
        detail_values=DETAIL_VALUES,
    )
    return page, 422 if errors else 200


# -- purge -------------------------------------------------------------------------------


class PurgeConfirmSchema(Schema):
    confirm = fields.String(
        required=True, validate=validate.Equal(PURGE_WORD, error=f"请输入“{PURGE_WORD}”以确认")
    )


@bp.get("/purge")
@page_login_required(ADMIN)
def purge_index(errors: dict[int, Errors] | None = None, status: int = 200):
    """Closed classes, when their personal data may be purged, and the purge itself."""
    closed = classes.visible_classes(_me(), status=ClassStatus.CLOSED.value)
    days = current_app.config["RETENTION_DAYS"]
    rows = [{"c": c, "from": c.end_date + timedelta(days=days)} for c in closed]
    page = render_template(
        "admin/purge.html",
        rows=rows,
        days=days,
        today=today_in_china(),
        errors=errors or {},
        word=PURGE_WORD,
    )
    return page, status


@bp.post("/purge/<int:class_id>")
@writes
@page_login_required(ADMIN)
def purge(class_id: int):
    training_class = _admin_class(class_id)

    def run(_data):
        return purge_class(training_class)

    purged, errors = run_form(PurgeConfirmSchema(), run)
    if errors:
        return purge_index({training_class.id: errors}, 422)
    flash(f"已清除“{training_class.title}”{purged} 名学员的个人信息，统计数字保留。")
    return redirect(url_for("admin_pages.purge_index"))
