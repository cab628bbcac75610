"""Completion pages: the class's 结业与证书 section for its staff, the province's certificate
search, and the public verification page /verify/<code> (no log-in, the masked name only).

Every page loads and checks access like the API (the same helpers), validates with the API's
schemas and calls the same logic functions.
"""

from decimal import Decimal

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from backend.auth.models import Role
from backend.classes.access import class_for_organizer, class_for_staff
from backend.completion import logic
from backend.completion.access import certificate_for_staff
from backend.completion.schemas import (
    LookupQuerySchema,
    RevokeSchema,
    RuleSchema,
    VerificationSchema,
)
from backend.core.errors import not_found
from backend.core.transaction import writes
from backend.web.auth import page_login_required
from backend.web.forms import run_action, run_form

bp = Blueprint("completion_pages", __name__, template_folder="templates")

#: The attendance shares offered on the page (any share in [0, 1] is allowed by the API).
COMMON_SHARES = [Decimal(s) for s in ("0.6", "0.7", "0.75", "0.8", "0.9", "1")]


def _page(training_class, errors=None, status: int = 200):
    view = logic.completion_view(training_class)
    return (
        render_template(
            "completion/class.html",
            c=training_class,
            view=view,
            completed=sum(t["completed"] for t in view["trainees"]),
            finished=logic.last_session_ended(training_class),
            is_organizer=g.user.role == Role.ORGANIZER,
            shares=_share_choices(view["rule"]["min_attendance"]),
            share=_share_text(view["rule"]["min_attendance"]),
            errors=errors or {},
        ),
        status,
    )


def _share_text(share: Decimal) -> str:
    return f"{Decimal(share).normalize():f}"


def _share_choices(current: Decimal) -> list[tuple[str, str]]:
    """最低出勤率 as the organizer picks it: the usual shares, and the class's own."""
    shares = sorted({*COMMON_SHARES, Decimal(current).normalize()})
    return [(_share_text(s), f"{(s * 100).normalize():f}%") for s in shares]


@bp.get("/classes/<int:class_id>/completion")
@page_login_required(Role.ADMIN, Role.ORGANIZER)
def class_completion(class_id: int):
    """结业与证书: the rule, every trainee's standing, issuing and revoking certificates."""
    return _page(class_for_staff(class_id))


@bp.post("/classes/<int:class_id>/completion/rule")
@writes
@page_login_required(Role.ORGANIZER)
def set_rule(class_id: int):
    training_class = class_for_organizer(class_id)
    _result, errors = run_form(RuleSchema(), lambda data: logic.set_rule(training_class, data))
    if errors:
        return _page(training_class, errors, 422)
    flash("结业要求已保存")
    return redirect(url_for(".class_completion", class_id=class_id))


@bp.post("/classes/<int:class_id>/completion/certificates")
@writes
@page_login_required(Role.ORGANIZER)
def issue(class_id: int):
    training_class = class_for_organizer(class_id)
    result, errors = run_action(lambda: logic.issue(training_class, g.user.id))
    if errors:
        return _page(training_class, errors, 422)
    flash(f"新颁发结业证书 {result['issued']} 份，本班共 {result['total']} 份")
    return redirect(url_for(".class_completion", class_id=class_id))


@bp.post("/certificates/<string:number>/revoke")
@writes
@page_login_required(Role.ADMIN, Role.ORGANIZER)
def revoke(number: str):
    certificate = certificate_for_staff(number)
    training_class = class_for_staff(certificate.class_id)
    _result, errors = run_form(
        RevokeSchema(), lambda data: logic.revoke(certificate, data["reason"])
    )
    if errors:
        return _page(training_class, errors, 422)
    flash(f"证书 {number} 已撤销")
    return redirect(url_for(".class_completion", class_id=certificate.class_id))


@bp.get("/certificates")
@page_login_required(Role.ADMIN)
def lookup():
    """证书查询 for the province office: by number or name, within a year or every year."""
    query = LookupQuerySchema().load(
        {k: v for k, v in request.args.items() if k in ("year", "q") and v.strip()}
    )
    rows = logic.lookup(query.get("year"), query["q"]) if query["q"] else []
    return render_template("completion/lookup.html", query=query, rows=rows)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.get("/verify/<string:code>")
def verify(code: str):
    """证书核验: valid or revoked, with the masked name, class, unit, dates and 学时."""
    certificate = logic.certificate_by_code(code)
    if certificate is None:
        if _wants_json():
            raise not_found("没有这个核验码对应的证书")
        return render_template("completion/verify.html", result=None), 404
    result = logic.verification(certificate)
    if _wants_json():
        return VerificationSchema().dump(result)
    return render_template("completion/verify.html", result=result)
