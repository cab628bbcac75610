"""The public verification page /verify/<code>: no log-in, nothing but the masked name."""

from flask import Blueprint, render_template, request

from backend.completion import logic
from backend.completion.schemas import VerificationSchema
from backend.core.errors import not_found

bp = Blueprint("completion_pages", __name__, template_folder="templates")


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
