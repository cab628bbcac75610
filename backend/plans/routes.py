"""HTTP endpoints of the annual plans: years, their projects (附件1) and the host units."""

from flask import jsonify, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from backend.auth.access import require
from backend.auth.models import Role
from backend.core.errors import flatten_messages, validation_failed
from backend.core.files import xlsx_response
from backend.plans import logic, plan_import
from backend.plans.schemas import (
    ImportResultSchema,
    PlanCopySchema,
    PlanCreateSchema,
    PlanNumbersSchema,
    PlanYearSchema,
    ProjectInputSchema,
    ProjectQuerySchema,
    ProjectSchema,
    ProjectUpdateSchema,
    UnitMergeSchema,
    UnitQuerySchema,
    UnitSchema,
)

blp = Blueprint("plans", __name__, description="年度计划（附件1）：项目与承办单位")

PROJECTS_UPLOAD_DOC = {
    "requestBody": {
        "content": {
            "application/json": {"schema": ProjectInputSchema},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        }
    }
}


def uploaded_projects() -> dict[int, dict]:
    """The rows of an uploaded 附件1 .xlsx (multipart field `file`), by Excel row number."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise validation_failed({"file": ["请选择要上传的附件1 .xlsx 文件"]})
    if not upload.filename.lower().endswith(".xlsx"):
        raise validation_failed({"file": ["只接受 .xlsx 文件（请使用导入模板）"]})
    return plan_import.rows_from_xlsx(upload.read())


def _json_project() -> dict:
    try:
        return ProjectInputSchema().load(request.get_json(silent=True) or {})
    except ValidationError as error:
        raise validation_failed(flatten_messages(error.messages)) from error


@blp.route("/projects", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ProjectQuerySchema, location="query")
@blp.response(200, ProjectSchema(many=True))
def list_projects(query):
    """The projects of the plan (the published 附件1; every unit may read it)."""
    return logic.projects_of(query.get("year"))


@blp.route("/plans", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, PlanYearSchema(many=True))
def list_plans():
    """Every plan year, newest first, with how many projects and classes it has."""
    return logic.plan_summaries()


@blp.route("/plans", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(PlanCreateSchema)
@blp.response(201, PlanYearSchema)
def create_plan(data):
    """A new year's plan; the numbers left out are the 2023 notice's. 409 `plan_exists`."""
    return logic.plan_summary(logic.create_plan(data))


@blp.route("/plans/<int:year>", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, PlanYearSchema)
def get_plan(year):
    return logic.plan_summary(logic.plan_or_404(year))


@blp.route("/plans/<int:year>", methods=["PATCH"])
@require(Role.ADMIN)
@blp.arguments(PlanNumbersSchema)
@blp.response(200, PlanYearSchema)
def update_plan(data, year):
    """Change the notice, deadline or numbers; the year's classes follow at once."""
    return logic.plan_summary(logic.update_plan(logic.plan_or_404(year), data))


@blp.route("/plans/<int:year>/projects", methods=["POST"])
@require(Role.ADMIN)
@blp.doc(**PROJECTS_UPLOAD_DOC)
@blp.response(201, ProjectSchema)
def add_projects(year):
    """One project as JSON, or the year's 附件1 as an .xlsx upload (multipart `file`, answer
    `{created, units_created, units_flagged}`): all rows or none, bad rows keyed by Excel's
    row number."""
    plan = logic.plan_or_404(year)
    if request.mimetype == "multipart/form-data":
        result = logic.import_projects(plan, uploaded_projects())
        answer = jsonify(ImportResultSchema().dump(result))
        answer.status_code = 201
        return answer
    return logic.add_project(plan, _json_project())


@blp.route("/plans/<int:year>/copy", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(PlanCopySchema)
@blp.response(201, ImportResultSchema)
def copy_projects(data, year):
    """Copy another year's projects into this one, to be edited afterwards."""
    plan = logic.plan_or_404(year)
    return logic.copy_projects(plan, logic.plan_or_404(data["from_year"]))


@blp.route("/plans/projects-template.xlsx", methods=["GET"])
@require(Role.ADMIN)
def projects_template():
    """The 附件1 import template (申报单位, 承办单位, 项目名称, 经费类型)."""
    return xlsx_response(plan_import.template_xlsx(), "附件1项目计划导入模板.xlsx")


@blp.route("/projects/<int:project_id>", methods=["PATCH"])
@require(Role.ADMIN)
@blp.arguments(ProjectUpdateSchema)
@blp.response(200, ProjectSchema)
def update_project(data, project_id):
    return logic.update_project(logic.project_or_404(project_id), data)


@blp.route("/projects/<int:project_id>", methods=["DELETE"])
@require(Role.ADMIN)
@blp.response(204)
def delete_project(project_id):
    """204 while the project has no class; 409 `project_has_classes` otherwise."""
    logic.delete_project(logic.project_or_404(project_id))


@blp.route("/units", methods=["GET"])
@require(Role.ADMIN)
@blp.arguments(UnitQuerySchema, location="query")
@blp.response(200, UnitSchema(many=True))
def list_units(query):
    """The host units; `?flagged=true`: those whose name waits for a merge or confirmation."""
    if query.get("flagged"):
        return logic.flagged_units()
    return logic.all_units()


@blp.route("/units/<int:unit_id>/confirm", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, UnitSchema)
def confirm_unit(unit_id):
    """The flagged name is a unit of its own: the flag goes."""
    return logic.confirm_unit(logic.unit_or_404(unit_id))


@blp.route("/units/<int:unit_id>/merge", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(UnitMergeSchema)
@blp.response(200, UnitSchema)
def merge_unit(data, unit_id):
    """The two names are one unit: projects and accounts move to `into`, this one goes."""
    unit = logic.unit_or_404(unit_id)
    return logic.merge_unit(unit, logic.unit_or_404(data["into"]))
