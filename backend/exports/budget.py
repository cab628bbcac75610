"""附件6 经费决算表: the budget settlement, its rules (docs/DOMAIN.md rule 8) and its spreadsheet."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from backend.auth.models import User
from backend.classes.models import TrainingClass
from backend.core.errors import validation_failed
from backend.core.timeutil import china_date, today_in_china, utcnow
from backend.enrollment.queries import enrolled_count
from backend.exports.facts import ClassFacts, cn_date, facts_of
from backend.exports.models import Budget, BudgetItem, BudgetItemKind
from backend.exports.sheets import (
    CELL,
    HEAD,
    MONEY,
    NOTE,
    NOTE_RIGHT,
    TEXT,
    block,
    new_sheet,
    printable,
    row_height,
    title,
    to_bytes,
    widths,
)
from backend.extensions import db
from backend.plans.models import Funding


def budget_of(class_id: int) -> Budget | None:
    return db.session.get(Budget, class_id)


def budget_totals(class_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """{subsidy, total} of each class with a stored budget, in two queries (the others are
    absent)."""
    subsidies = dict(
        db.session.execute(
            db.select(Budget.class_id, Budget.subsidy).where(Budget.class_id.in_(class_ids))
        ).all()
    )
    amounts: dict[int, list[Decimal]] = {class_id: [] for class_id in subsidies}
    items = db.session.execute(
        db.select(BudgetItem.class_id, BudgetItem.amount).where(
            BudgetItem.class_id.in_(list(amounts))
        )
    )
    for class_id, amount in items:
        amounts[class_id].append(amount)
    return {
        class_id: {"subsidy": subsidies[class_id], "total": total_of(values)}
        for class_id, values in amounts.items()
    }


def items_of(class_id: int) -> dict[BudgetItemKind, BudgetItem]:
    rows = db.session.scalars(db.select(BudgetItem).where(BudgetItem.class_id == class_id))
    return {item.kind: item for item in rows}


def total_of(amounts: list[Decimal]) -> Decimal:
    """合计: the exact sum of the items."""
    return sum(amounts, Decimal("0.00"))


def subsidy_problems(training_class: TrainingClass, subsidy: Decimal, total: Decimal) -> list[str]:
    """The notice's rules (四、严守财经纪律) the subsidy breaks, in Chinese; the numbers are the
    class's plan year's own: its cap and its deadline."""
    project = training_class.project
    plan = project.plan
    problems = []
    if project.funding == Funding.SELF:
        if subsidy != 0:
            problems.append(
                "自筹经费项目按各自经费保障渠道结算，不享受人社部门资助，资助金额应为 0"
            )
        return problems
    late = training_class.end_date > plan.deadline
    if late and subsidy != 0:
        problems.append(
            f"本班于{cn_date(training_class.end_date)}结束，晚于{plan.year}年计划完成期限"
            f"{cn_date(plan.deadline)}；期限之后办班的不再予以资助，资助金额应为 0"
        )
    elif subsidy > plan.subsidy_cap:
        problems.append(f"财政资助项目每期资助上限为 {plan.subsidy_cap:,.2f} 元")
    if subsidy > total:
        problems.append(f"资助金额不能超过合计 {total:,.2f} 元")
    return problems


def check_subsidy(training_class: TrainingClass, subsidy: Decimal, total: Decimal) -> None:
    """422 on the subsidy field unless it is within the rules of the notice."""
    problems = subsidy_problems(training_class, subsidy, total)
    if problems:
        raise validation_failed({"subsidy": problems}, f"人社部门资助金额有误：{problems[0]}")


def save_budget(training_class: TrainingClass, data: dict[str, Any], by: User) -> Budget:
    """Store the budget (replacing an earlier one) once every rule holds."""
    items = data["items"]
    total = total_of([items[kind.value]["amount"] for kind in BudgetItemKind])
    check_subsidy(training_class, data["subsidy"], total)
    budget = budget_of(training_class.id) or Budget(class_id=training_class.id)
    budget.staff_count = data["staff_count"]
    budget.subsidy = data["subsidy"]
    budget.handler = data["handler"]
    budget.updated_by_id = by.id
    budget.updated_at = utcnow()
    db.session.add(budget)
    db.session.flush()
    stored = items_of(training_class.id)
    for kind in BudgetItemKind:
        item = stored.get(kind) or BudgetItem(class_id=training_class.id, kind=kind)
        item.amount = items[kind.value]["amount"]
        item.note = items[kind.value]["note"]
        db.session.add(item)
    db.session.flush()
    return budget


def budget_view(budget: Budget) -> dict[str, Any]:
    """The stored budget plus its total (the body of GET/PUT /classes/{id}/budget)."""
    items = items_of(budget.class_id)
    return {
        "class_id": budget.class_id,
        "items": {
            kind.value: {"amount": items[kind].amount, "note": items[kind].note}
            for kind in BudgetItemKind
        },
        "staff_count": budget.staff_count,
        "subsidy": budget.subsidy,
        "handler": budget.handler,
        "total": total_of([item.amount for item in items.values()]),
        "updated_at": budget.updated_at,
    }


@dataclass(frozen=True)
class BudgetForm:
    facts: ClassFacts
    year: int
    enrolled: int
    #: The body of budget_view, or None when nothing was filled yet (a blank form).
    budget: dict[str, Any] | None
    approved_at: datetime | None
    filled_on: date


def gather(training_class: TrainingClass) -> BudgetForm:
    budget = budget_of(training_class.id)
    return BudgetForm(
        facts=facts_of(training_class),
        year=training_class.project.year,
        enrolled=enrolled_count(training_class.id),
        budget=budget_view(budget) if budget else None,
        approved_at=training_class.approved_at,
        filled_on=china_date(budget.updated_at) if budget else today_in_china(),
    )


def _money(sheet, row: int, value: Decimal | None) -> None:
    block(sheet, row, 3, row, 4, value, MONEY)


def _labelled(sheet, row: int, label: str, value: Any) -> None:
    block(sheet, row, 1, row, 2, label, HEAD)
    block(sheet, row, 3, row, 6, value, TEXT)


def _approval(form: BudgetForm) -> str:
    if form.approved_at is None:
        return "开班实施方案尚未审核通过"
    return f"开班实施方案已于{cn_date(china_date(form.approved_at))}审核通过"


def budget_xlsx(form: BudgetForm) -> bytes:
    """The form of 附件6, six columns wide."""
    sheet = new_sheet("经费决算表")
    facts, budget = form.facts, form.budget
    title(sheet, 1, 6, f"湖北省专业技术人员知识更新工程{form.year}年高级研修项目经费决算表")
    block(sheet, 2, 1, 2, 3, f"填报单位：{facts.host_unit}", NOTE)
    block(sheet, 2, 4, 2, 6, f"填报时间：{cn_date(form.filled_on)}", NOTE_RIGHT)
    block(sheet, 3, 1, 3, 1, "名称", HEAD)
    block(sheet, 3, 2, 3, 3, facts.title)
    block(sheet, 3, 4, 3, 4, "地点", HEAD)
    block(sheet, 3, 5, 3, 6, facts.location)
    block(sheet, 4, 1, 4, 1, "办班时间", HEAD)
    block(sheet, 4, 2, 4, 6, f"{facts.dates_text}（{facts.days}天）")
    staff = budget["staff_count"] if budget else None
    for column, value in enumerate(
        ["研修人数", form.enrolled, "工作人员", staff, "总计", form.enrolled + (staff or 0)], 1
    ):
        block(sheet, 5, column, 5, column, value, HEAD if column % 2 else CELL)
    block(sheet, 6, 1, 6, 6, "项目资金决算", HEAD)
    block(sheet, 7, 1, 7, 2, "项目", HEAD)
    block(sheet, 7, 3, 7, 4, "金额（元）", HEAD)
    block(sheet, 7, 5, 7, 6, "备注", HEAD)
    row = 8
    for kind in BudgetItemKind:
        item = budget["items"][kind.value] if budget else None
        block(sheet, row, 1, row, 2, kind.label)
        _money(sheet, row, item["amount"] if item else None)
        block(sheet, row, 5, row, 6, item["note"] if item else None, TEXT)
        row += 1
    block(sheet, row, 1, row, 2, "合计", HEAD)
    _money(sheet, row, budget["total"] if budget else None)
    block(sheet, row, 5, row, 6, None)
    row += 1
    block(sheet, row, 1, row, 2, "人社部门资助金额", HEAD)
    _money(sheet, row, budget["subsidy"] if budget else None)
    block(sheet, row, 5, row, 6, facts.funding.label + "项目", TEXT)
    row += 1
    block(sheet, row, 1, row, 2, "承办单位配套金额", HEAD)
    _money(sheet, row, budget["total"] - budget["subsidy"] if budget else None)
    block(sheet, row, 5, row, 6, "合计减人社部门资助金额", TEXT)
    row += 1
    _labelled(sheet, row, "会议组织", f"{facts.mode.label}办班，{facts.funding.label}")
    _labelled(sheet, row + 1, "申报单位", facts.applicant_unit)
    _labelled(sheet, row + 2, "承办单位", facts.host_unit)
    _labelled(sheet, row + 3, "审批情况", _approval(form))
    row += 4
    handler = budget["handler"] if budget else ""
    block(sheet, row, 1, row, 2, f"经办人：{handler}", HEAD)
    block(sheet, row, 3, row, 4, "承办单位财务部门签章", HEAD)
    block(sheet, row, 5, row, 6, "申报单位签章", HEAD)
    block(sheet, row + 1, 1, row + 1, 2, None)
    block(sheet, row + 1, 3, row + 1, 4, None)
    block(sheet, row + 1, 5, row + 1, 6, None)
    row_height(sheet, row + 1, 70)
    widths(sheet, 12, 16, 14, 12, 12, 20)
    printable(sheet, one_page=True)
    return to_bytes(sheet)
