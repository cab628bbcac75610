"""The class page's 招生报名 section: settings, the applications with filters, eligibility,
composition, and decisions one by one or several at once. Same schemas, same logic."""

from collections import Counter
from typing import Any

from flask import Blueprint, g, render_template, request

from backend.auth.models import Role, User
from backend.classes.access import class_for_organizer
from backend.classes.models import TrainingClass
from backend.classes.pages import after_post
from backend.core.errors import not_found
from backend.core.regions import HUBEI_DIVISIONS
from backend.core.timeutil import to_china, utcnow
from backend.core.transaction import writes
from backend.enrollment.schemas import TITLE_LEVEL_LABELS
from backend.extensions import db
from backend.recruitment import logic
from backend.recruitment.access import APPLICATION_NOT_FOUND, application_for_organizer
from backend.recruitment.poster import AUDIENCE
from backend.recruitment.schemas import DECISIONS, ApplicationDecisionSchema, OpenSchema
from backend.web.auth import page_login_required
from backend.web.forms import run_action, run_form

bp = Blueprint("recruitment_pages", __name__, template_folder="templates")

SECTION = "recruitment"
DECISION_LABELS = {"admit": "录取", "waitlist": "列入候补", "reject": "不录取"}
HOW_LABELS = {"applied": "报名", "roster": "名单"}


def _share(part: int, total: int) -> str:
    return f"{part}（{part * 100 / total:.1f}%）" if total else "0"


def composition_rows(composition: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, applicants, roster) lines of the 生源构成 table."""
    a, r = composition["applicants"], composition["roster"]
    rows = [
        ("人数", str(a["total"]), str(r["total"])),
        ("已填职称级别", str(a["title_level_stated"]), str(r["title_level_stated"])),
    ]
    for level, label in TITLE_LEVEL_LABELS.items():
        rows.append(
            (
                f"职称：{label}",
                _share(a["title_level"][level], a["total"]),
                _share(r["title_level"][level], r["total"]),
            )
        )
    for key, label in (
        ("management_post", "管理岗位"),
        ("eligible", "符合条件（中高级职称或管理岗位）"),
        ("grassroots", "基层一线"),
        ("poor_area", "原贫困地区"),
    ):
        rows.append((label, _share(a[key], a["total"]), _share(r[key], r["total"])))
    rows.append(
        (
            "覆盖市州",
            f"{a['regions_covered']} / {len(HUBEI_DIVISIONS)}",
            f"{r['regions_covered']} / {len(HUBEI_DIVISIONS)}",
        )
    )
    return rows


def _filters() -> dict[str, str]:
    args = request.args
    return {
        "status": args.get("a_status", "") if args.get("a_status") in logic.STATUS_LABELS else "",
        "eligible": args.get("a_eligible", "") if args.get("a_eligible") in ("yes", "no") else "",
        "region": args.get("a_region", "") if args.get("a_region") in HUBEI_DIVISIONS else "",
        "grassroots": args.get("a_grassroots", "") if args.get("a_grassroots") == "yes" else "",
    }


def _shown(applications: list[dict], filters: dict[str, str]) -> list[dict]:
    def keep(a: dict) -> bool:
        return (
            (not filters["status"] or a["status"] == filters["status"])
            and (not filters["eligible"] or a["eligible"] == (filters["eligible"] == "yes"))
            and (not filters["region"] or a["region"] == filters["region"])
            and (not filters["grassroots"] or a["grassroots"])
        )

    return [a for a in applications if keep(a)]


def section_context(training_class: TrainingClass, user: User) -> dict[str, Any]:
    """What the 招生报名 section shows (the API's own views)."""
    recruitment = logic.recruitment_of(training_class.id)
    filters = _filters()
    every = logic.applications_view(training_class, None, full_phones=user.role == Role.ORGANIZER)
    counts = Counter(a["status"] for a in every)
    composition = logic.composition(training_class.id)
    default_close = to_china(recruitment.closes_at) if recruitment else None
    return {
        "recruitment": logic.recruitment_view(recruitment) if recruitment else None,
        "closes_value": default_close.strftime("%Y-%m-%dT%H:%M") if default_close else "",
        "applications": _shown(every, filters),
        "filters": filters,
        "counts": counts,
        "composition": composition_rows(composition),
        "regions": composition,
        "roster_also_in": logic.roster_also_in(training_class),
        "status_labels": logic.STATUS_LABELS,
        "status_options": [("", "全部"), *logic.STATUS_LABELS.items()],
        "division_options": [("", "全部市州"), *((d, d) for d in HUBEI_DIVISIONS)],
        "level_labels": TITLE_LEVEL_LABELS,
        "decision_labels": DECISION_LABELS,
        "how_labels": HOW_LABELS,
        "now": utcnow(),
    }


@bp.post("/classes/<int:class_id>/recruitment")
@writes
@page_login_required(Role.ORGANIZER)
def open_recruitment(class_id: int):
    training_class = class_for_organizer(class_id)
    _, errors = run_form(
        OpenSchema(), lambda data: logic.open_recruitment(training_class, data, g.user.id)
    )
    return after_post(training_class, SECTION, errors, "招生设置已保存，报名入口已开放")


@bp.post("/classes/<int:class_id>/recruitment/close")
@writes
@page_login_required(Role.ORGANIZER)
def close_recruitment(class_id: int):
    training_class = class_for_organizer(class_id)
    _, errors = run_action(lambda: logic.close_recruitment(training_class))
    return after_post(training_class, SECTION, errors, "已停止报名，已收到的报名仍可处理")


def _chosen() -> tuple[list[int], dict[str, str]]:
    """The applications and decision of the post: one row's button, or the ticked rows."""
    single = request.form.get("single", "")
    if single:
        number, _, decision = single.partition(":")
        ids = [number]
    else:
        ids, decision = request.form.getlist("application"), request.form.get("decision", "")
    values = {"decision": decision, "reason": request.form.get("reason", "")}
    return [int(i) for i in ids if i.isdigit()], values


@bp.post("/classes/<int:class_id>/applications/decisions")
@writes
@page_login_required(Role.ORGANIZER)
def decide(class_id: int):
    """录取 / 候补 / 不录取 with a reason, for one row or every ticked row: all or none."""
    training_class = class_for_organizer(class_id)
    ids, values = _chosen()
    if ids:
        _, errors = run_form(
            ApplicationDecisionSchema(), lambda data: _decide_all(class_id, ids, data), values
        )
    else:
        errors = {"application": ["请先勾选要处理的报名"]}
    label = DECISION_LABELS.get(values["decision"], "")
    return after_post(
        training_class, "applications", errors, f"已将 {len(ids)} 份报名处理为“{label}”"
    )


def _decide_all(class_id: int, ids: list[int], data: dict) -> None:
    """Every decision or none: a savepoint, since the page answers a refusal (class_full
    on the third of five) with the form, and the request commits what is left."""
    with db.session.begin_nested():
        for application_id in ids:
            application = application_for_organizer(application_id)
            if application.class_id != class_id:
                raise not_found(APPLICATION_NOT_FOUND)
            logic.decide(application, DECISIONS[data["decision"]], data["reason"], g.user.id)


@bp.get("/recruit/<int:class_id>")
def entry_page(class_id: int):
    """The public page the plain QR code opens (no log-in): the class and how to apply."""
    training_class = db.session.get(TrainingClass, class_id)
    recruitment = logic.recruitment_of(class_id) if training_class else None
    if recruitment is None:
        raise not_found("本班没有招生")
    view = logic.public_view(training_class, recruitment)
    return render_template("recruitment/entry.html", r=view, audience=AUDIENCE)
