"""HTTP endpoints of the annual plan."""

from flask_smorest import Blueprint

from backend.auth.access import require
from backend.auth.models import Role
from backend.core.errors import not_found
from backend.extensions import db
from backend.plans.logic import projects_of
from backend.plans.models import PlanYear, Unit
from backend.plans.schemas import PlanYearSchema, ProjectQuerySchema, ProjectSchema, UnitSchema

blp = Blueprint("plans", __name__, description="年度计划（附件1）：项目与承办单位")


@blp.route("/projects", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ProjectQuerySchema, location="query")
@blp.response(200, ProjectSchema(many=True))
def list_projects(query):
    """The projects of the plan (the published 附件1; every unit may read it)."""
    return projects_of(query.get("year"))


@blp.route("/plans/<int:year>", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, PlanYearSchema)
def get_plan(year):
    plan = db.session.get(PlanYear, year)
    if plan is None:
        raise not_found("找不到该年度计划")
    return plan


@blp.route("/units", methods=["GET"])
@require(Role.ADMIN)
@blp.response(200, UnitSchema(many=True))
def list_units():
    return db.session.scalars(db.select(Unit).order_by(Unit.id)).all()
