"""The annual plans (附件1 of each year's notice): years, projects, host units.

Operations add and flush; the request commits. The 2023 plan ships with the code
(`flask plan load 2023`); every other year is set up by the province office.
"""

import unicodedata
from typing import Any

from sqlalchemy import func, update

from backend.audit.logic import record
from backend.core.errors import ApiError, not_found, validation_failed
from backend.extensions import db
from backend.plans import plan2023
from backend.plans.models import Funding, PlanYear, Project, Unit

PLANS = {plan2023.YEAR: plan2023}
#: Brackets written differently in official names: （） and 〔〕 count as ().
_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "【": "(", "】": ")"})


def name_key(name: str) -> str:
    """A unit's name with full-width characters, bracket styles and spaces evened out:
    two names with the same key are probably the same unit written differently."""
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    return "".join(text.split()).casefold()


def unit_named(name: str) -> Unit:
    """The unit with this name, created if new."""
    return unit_for_name(name)[0]


def unit_for_name(name: str) -> tuple[Unit, bool]:
    """The unit with exactly this name, or a new one (second value True). A new unit whose
    name is close to an existing unit's is flagged for the admin (`similar_to`)."""
    unit = db.session.scalar(db.select(Unit).where(Unit.name == name))
    if unit is not None:
        return unit, False
    key = name_key(name)
    similar = next(
        (
            u
            for u in db.session.scalars(db.select(Unit).order_by(Unit.id))
            if name_key(u.name) == key
        ),
        None,
    )
    unit = Unit(name=name, similar_to=similar)
    db.session.add(unit)
    db.session.flush()
    return unit, True


def flagged_units() -> list[Unit]:
    return db.session.scalars(
        db.select(Unit).where(Unit.similar_to_id.is_not(None)).order_by(Unit.id)
    ).all()


def confirm_unit(unit: Unit) -> Unit:
    """The admin says the flagged unit is a unit of its own."""
    if unit.similar_to_id is None:
        raise ApiError(409, "invalid_transition", "该单位名称未被标记，无需确认")
    record("unit.confirm", unit=unit.name, similar_to=unit.similar_to.name)
    unit.similar_to = None
    db.session.flush()
    return unit


def merge_unit(unit: Unit, into: Unit) -> Unit:
    """Move everything of `unit` (projects, accounts, whatever refers to it) to `into` and
    delete `unit`: the two names were one unit."""
    if unit.id == into.id:
        raise validation_failed({"into": ["不能合并到同一个单位"]})
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if table.name != "units" and any(
                fk.column.table.name == "units" for fk in column.foreign_keys
            ):
                db.session.execute(
                    update(table).where(column == unit.id).values({column.name: into.id})
                )
    db.session.execute(update(Unit).where(Unit.similar_to_id == unit.id).values(similar_to_id=None))
    record("unit.merge", unit=unit.name, into=into.name)
    db.session.delete(unit)
    db.session.flush()
    db.session.expire_all()
    return into


def unit_or_404(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise not_found("找不到该单位")
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


def projects_of(year: int | None, unit_id: int | None = None) -> list[Project]:
    query = db.select(Project).order_by(Project.year, Project.id)
    if year is not None:
        query = query.where(Project.year == year)
    if unit_id is not None:
        query = query.where(Project.host_unit_id == unit_id)
    return db.session.scalars(query).all()


def plan_or_404(year: int) -> PlanYear:
    plan = db.session.get(PlanYear, year)
    if plan is None:
        raise not_found("找不到该年度计划")
    return plan


def project_or_404(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        raise not_found("找不到该项目")
    return project


def plan_summaries() -> list[dict[str, Any]]:
    """Every plan year, newest first, with its numbers and how many projects and classes."""
    from backend.classes.models import TrainingClass

    projects = dict(
        db.session.execute(db.select(Project.year, func.count()).group_by(Project.year)).all()
    )
    classes = dict(
        db.session.execute(
            db.select(Project.year, func.count(TrainingClass.id))
            .join(TrainingClass, TrainingClass.project_id == Project.id)
            .group_by(Project.year)
        ).all()
    )
    plans = db.session.scalars(db.select(PlanYear).order_by(PlanYear.year.desc())).all()
    return [summary_of(p, projects.get(p.year, 0), classes.get(p.year, 0)) for p in plans]


def summary_of(plan: PlanYear, projects: int, classes: int) -> dict[str, Any]:
    columns = {c.key: getattr(plan, c.key) for c in PlanYear.__mapper__.column_attrs}
    return {**columns, "projects": projects, "classes": classes}


def plan_summary(plan: PlanYear) -> dict[str, Any]:
    return next(s for s in plan_summaries() if s["year"] == plan.year)


def create_plan(data: dict[str, Any]) -> PlanYear:
    """A new plan year; the numbers left out take the 2023 notice's (the model's defaults).

    409 `plan_exists` when the year has a plan already."""
    if db.session.get(PlanYear, data["year"]) is not None:
        raise ApiError(409, "plan_exists", f"{data['year']} 年度计划已存在，可在该年度页面修改")
    plan = PlanYear(**data)
    db.session.add(plan)
    db.session.flush()
    record("plan.create", year=plan.year, notice=plan.notice)
    return plan


def update_plan(plan: PlanYear, data: dict[str, Any]) -> PlanYear:
    for name, value in data.items():
        setattr(plan, name, value)
    db.session.flush()
    record("plan.update", year=plan.year, **{k: str(v) for k, v in data.items()})
    return plan


def _check_new_names(year: int, names: list[str], skip_id: int | None = None) -> None:
    taken = set(
        db.session.scalars(
            db.select(Project.name).where(
                Project.year == year, Project.name.in_(names), Project.id != (skip_id or 0)
            )
        )
    )
    if taken:
        raise validation_failed(
            {"name": [f"{year} 年度计划中已有项目“{name}”" for name in sorted(taken)]}
        )


def add_project(plan: PlanYear, data: dict[str, Any]) -> Project:
    """One project of the year's 附件1; `host_unit` is a unit's full name (new: created)."""
    _check_new_names(plan.year, [data["name"]])
    project = _new_project(plan, data)[0]
    db.session.flush()
    record("project.create", year=plan.year, name=project.name)
    return project


def _new_project(plan: PlanYear, data: dict[str, Any]) -> tuple[Project, Unit, bool]:
    unit, created = unit_for_name(data["host_unit"])
    project = Project(
        year=plan.year,
        name=data["name"],
        applicant_unit=data["applicant_unit"],
        host_unit=unit,
        funding=Funding(data["funding"]),
    )
    db.session.add(project)
    return project, unit, created


def import_projects(plan: PlanYear, rows: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Add every row (already validated, keyed by Excel row number), or none: a name the
    year already has, or twice in the file, is a bad row."""
    existing = set(db.session.scalars(db.select(Project.name).where(Project.year == plan.year)))
    problems: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for number, row in rows.items():
        if row["name"] in existing:
            problems[str(number)] = [f"项目名称：{plan.year} 年度计划中已有“{row['name']}”"]
        elif row["name"] in seen:
            problems[str(number)] = [f"项目名称：与第 {seen[row['name']]} 行重复"]
        seen.setdefault(row["name"], number)
    if problems:
        raise validation_failed(problems, f"有 {len(problems)} 行数据有误，未导入任何项目")
    added = [_new_project(plan, row) for row in rows.values()]
    new_units = [unit for _, unit, created in added if created]
    db.session.flush()
    record("project.import", year=plan.year, created=len(rows))
    return import_result(len(rows), new_units)


def import_result(created: int, new_units: list[Unit]) -> dict[str, Any]:
    """{created, units_created, units_flagged}: the new units with a name close to another's."""
    return {
        "created": created,
        "units_created": len(new_units),
        "units_flagged": [u.name for u in new_units if u.similar_to_id is not None],
    }


def copy_projects(plan: PlanYear, source: PlanYear) -> dict[str, Any]:
    """Copy the projects of another year into this one (same names, units and funding), to
    be edited afterwards; a name the year has already is left alone."""
    if source.year == plan.year:
        raise validation_failed({"from_year": ["不能从同一年度复制"]})
    existing = set(db.session.scalars(db.select(Project.name).where(Project.year == plan.year)))
    copies = [
        Project(
            year=plan.year,
            name=p.name,
            applicant_unit=p.applicant_unit,
            host_unit_id=p.host_unit_id,
            funding=p.funding,
        )
        for p in projects_of(source.year)
        if p.name not in existing
    ]
    db.session.add_all(copies)
    db.session.flush()
    record("project.copy", year=plan.year, from_year=source.year, created=len(copies))
    return import_result(len(copies), [])


def update_project(project: Project, data: dict[str, Any]) -> Project:
    if "name" in data:
        _check_new_names(project.year, [data["name"]], skip_id=project.id)
        project.name = data["name"]
    if "applicant_unit" in data:
        project.applicant_unit = data["applicant_unit"]
    if "host_unit" in data:
        project.host_unit = unit_for_name(data["host_unit"])[0]
    if "funding" in data:
        project.funding = Funding(data["funding"])
    db.session.flush()
    record("project.update", year=project.year, project_id=project.id, name=project.name)
    return project


def delete_project(project: Project) -> None:
    """Remove a project from its year's plan; refused (409) once it has a class."""
    from backend.classes.models import TrainingClass

    if db.session.scalar(
        db.select(TrainingClass.id).where(TrainingClass.project_id == project.id).limit(1)
    ):
        raise ApiError(409, "project_has_classes", "该项目已有研修班，不能删除")
    record("project.delete", year=project.year, project_id=project.id, name=project.name)
    db.session.delete(project)
    db.session.flush()


def all_units() -> list[Unit]:
    return db.session.scalars(db.select(Unit).order_by(Unit.id)).all()
