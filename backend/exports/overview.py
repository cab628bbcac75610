"""The province office's view of a plan year: every class with its figures and flags."""

from datetime import date
from decimal import Decimal
from typing import Any

from backend.classes.models import ClassStatus, TrainingClass
from backend.exports.budget import budget_totals
from backend.exports.deadlines import deadline_states
from backend.exports.facts import cn_date, composition_phrase, percent, satisfied_of
from backend.exports.sheets import (
    CELL,
    HEAD,
    MONEY,
    NOTE,
    PERCENT,
    TEXT,
    block,
    freeze,
    new_sheet,
    printable,
    put,
    title,
    to_bytes,
    widths,
)
from backend.extensions import db
from backend.plans.models import Funding, PlanYear, Project
from backend.recruitment.logic import roster_composition, roster_compositions
from backend.surveys.stats import overview_figures


def satisfied_rate(figures: dict[str, Any]) -> Decimal | None:
    """满意率 of 学员满意度评价: 优秀率 + 良好率 as the tally prints them; None without answers."""
    if not figures["returned"]:
        return None
    return satisfied_of(figures["satisfaction"])


def class_line(
    training_class: TrainingClass,
    figures: dict[str, Any],
    budget: dict[str, Any] | None,
    state: dict[str, Any],
    composition: dict[str, Any],
) -> dict[str, Any]:
    enrolled, attended = figures["enrolled"], figures["attended"]
    issued, returned = figures["issued"], figures["returned"]
    return {
        "id": training_class.id,
        "title": training_class.title,
        "host_unit": training_class.project.host_unit.name,
        "funding": training_class.project.funding.value,
        "status": training_class.status.value,
        "location": training_class.location,
        "start_date": training_class.start_date,
        "end_date": training_class.end_date,
        "enrolled": enrolled,
        "attended": attended,
        "attendance_rate": percent(attended, enrolled) if enrolled else None,
        "issued": issued,
        "returned": returned,
        "return_rate": percent(returned, issued) if issued else None,
        "satisfied_rate": satisfied_rate(figures),
        "subsidy": budget["subsidy"] if budget else None,
        "budget_total": budget["total"] if budget else None,
        "paperwork_due": state["paperwork_due"],
        "paperwork_sent_on": state["paperwork_sent_on"],
        "expenses_due": state["expenses_due"],
        "expenses_sent_on": state["expenses_sent_on"],
        "flags": state["flags"],
        "composition": composition,
    }


def overview_of(plan: PlanYear, today: date) -> dict[str, Any]:
    """The year's classes with their figures, each kind of figure read for all classes at
    once."""
    classes = db.session.scalars(
        db.select(TrainingClass)
        .join(TrainingClass.project)
        .where(Project.year == plan.year)
        .order_by(TrainingClass.start_date, TrainingClass.id)
    ).all()
    ids = [c.id for c in classes]
    figures = overview_figures(classes)
    budgets = budget_totals(ids)
    states = deadline_states(classes, today)
    compositions = roster_compositions(ids)
    return {
        "year": plan.year,
        "deadline": plan.deadline,
        "today": today,
        "classes": [
            class_line(c, figures[c.id], budgets.get(c.id), states[c.id], compositions[c.id])
            for c in classes
        ],
        "composition": roster_composition(ids),
    }


HEADERS = [
    ("序号", 5),
    ("项目名称", 22),
    ("承办单位", 16),
    ("经费来源", 8),
    ("状态", 9),
    ("举办时间", 14),
    ("地点", 14),
    ("名单人数", 6),
    ("中高级职称或管理岗位", 9),
    ("基层一线", 6),
    ("原贫困地区", 8),
    ("来自市州数", 8),
    ("参训人数", 6),
    ("参训率", 7),
    ("收回份数", 6),
    ("收回率", 7),
    ("满意率", 7),
    ("申请资助（元）", 12),
    ("材料报送", 12),
    ("经费报送", 12),
    ("提示", 28),
]


def _sent(sent_on: date | None, due: date) -> str:
    return cn_date(sent_on) if sent_on else f"未报送（{cn_date(due)}前）"


def _composition_cells(c: dict[str, Any]) -> list[tuple[Any, str]]:
    """The roster's 生源构成 as counts; blank where a roster was imported without the fields
    (the same rule as composition_phrase)."""
    stated = bool(c["title_level_stated"])
    counts = [c[key] if stated else None for key in ("eligible", "grassroots", "poor_area")]
    return [(n, CELL) for n in counts] + [(c["regions_covered"], CELL)]


def _cells(number: int, line: dict[str, Any]) -> list[tuple[Any, str]]:
    def rate(value):
        return (None if value is None else value / 100, PERCENT)

    return [
        (number, CELL),
        (line["title"], CELL),
        (line["host_unit"], CELL),
        (Funding(line["funding"]).label, CELL),
        (ClassStatus(line["status"]).label, CELL),
        (f"{cn_date(line['start_date'])}至\n{cn_date(line['end_date'])}", CELL),
        (line["location"], CELL),
        (line["enrolled"], CELL),
        *_composition_cells(line["composition"]),
        (line["attended"], CELL),
        rate(line["attendance_rate"]),
        (line["returned"], CELL),
        rate(line["return_rate"]),
        rate(line["satisfied_rate"]),
        (line["subsidy"], MONEY),
        (_sent(line["paperwork_sent_on"], line["paperwork_due"]), CELL),
        (_sent(line["expenses_sent_on"], line["expenses_due"]), CELL),
        ("；".join(flag.message for flag in line["flags"]) or "无", TEXT),
    ]


def _year_lines(sheet, row: int, overview: dict[str, Any]) -> None:
    """全年合计 under the classes (the year's roster composition, divisions counted once) and
    the same in words."""
    year = overview["composition"]
    enrolled = [text for text, _width in HEADERS].index("名单人数") + 1
    block(sheet, row, 1, row, enrolled - 1, "全年合计", HEAD)
    put(sheet, row, enrolled, year["total"], CELL)
    for column, (value, style) in enumerate(_composition_cells(year), start=enrolled + 1):
        put(sheet, row, column, value, style)
    for column in range(enrolled + 5, len(HEADERS) + 1):
        put(sheet, row, column, None, CELL)
    phrase = composition_phrase(year, shares=True)
    classes = len(overview["classes"])
    words = f"全年 {classes} 个研修班，名单共 {year['total']} 人" + (
        f"，其中{phrase}" if phrase else ""
    )
    block(sheet, row + 1, 1, row + 1, len(HEADERS), f"{words}。", NOTE)


def overview_xlsx(overview: dict[str, Any]) -> bytes:
    sheet = new_sheet("年度总览")
    title(
        sheet,
        1,
        len(HEADERS),
        f"{overview['year']}年专业技术人员知识更新工程高级研修项目总览"
        f"（截至{cn_date(overview['today'])}，计划完成期限{cn_date(overview['deadline'])}）",
    )
    for column, (text, _width) in enumerate(HEADERS, start=1):
        put(sheet, 2, column, text, HEAD)
    for number, line in enumerate(overview["classes"], start=1):
        for column, (value, style) in enumerate(_cells(number, line), start=1):
            put(sheet, number + 2, column, value, style)
    _year_lines(sheet, len(overview["classes"]) + 3, overview)
    widths(sheet, *(width for _text, width in HEADERS))
    freeze(sheet, 2, 2)
    printable(sheet, (1, 2), landscape=True)
    return to_bytes(sheet)
