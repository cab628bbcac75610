"""Loading and reading the annual plan."""

from backend.extensions import db
from backend.plans import plan2023
from backend.plans.models import Funding, PlanYear, Project, Unit

PLANS = {plan2023.YEAR: plan2023}


def unit_named(name: str) -> Unit:
    """The unit with this name, created if new."""
    unit = db.session.scalar(db.select(Unit).where(Unit.name == name))
    if unit is None:
        unit = Unit(name=name)
        db.session.add(unit)
        db.session.flush()
    return unit


def load_plan(year: int) -> int:
    """Load a built-in plan; idempotent. Returns the number of projects added."""
    plan = PLANS[year]
    if db.session.get(PlanYear, year) is None:
        db.session.add(PlanYear(year=year, deadline=plan.DEADLINE, notice=plan.NOTICE))
        db.session.flush()
    added = 0
    for applicant, host, name, funding in plan.PROJECTS:
        exists = db.session.scalar(
            db.select(Project.id).where(Project.year == year, Project.name == name)
        )
        if exists is None:
            db.session.add(
                Project(
                    year=year,
                    name=name,
                    applicant_unit=applicant,
                    host_unit=unit_named(host),
                    funding=Funding(funding),
                )
            )
            added += 1
    db.session.flush()
    return added


def projects_of(year: int | None) -> list[Project]:
    query = db.select(Project).order_by(Project.year, Project.id)
    if year is not None:
        query = query.where(Project.year == year)
    return db.session.scalars(query).all()
