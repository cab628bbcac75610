"""The facts about a class that every form prints in its header, and Chinese formatting."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from backend.classes.models import ClassMode, TrainingClass
from backend.core.regions import HUBEI_DIVISIONS
from backend.plans.models import Funding


@dataclass(frozen=True)
class ClassFacts:
    """A class as the forms name it."""

    class_id: int
    title: str
    applicant_unit: str
    host_unit: str
    funding: Funding
    location: str
    start_date: date
    end_date: date
    mode: ClassMode

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def dates_text(self) -> str:
        return f"{cn_date(self.start_date)}至{cn_date(self.end_date)}"


def facts_of(training_class: TrainingClass) -> ClassFacts:
    project = training_class.project
    return ClassFacts(
        class_id=training_class.id,
        title=project.name,
        applicant_unit=project.applicant_unit,
        host_unit=project.host_unit.name,
        funding=project.funding,
        location=training_class.location,
        start_date=training_class.start_date,
        end_date=training_class.end_date,
        mode=training_class.mode,
    )


def cn_date(value: date) -> str:
    """2023年9月1日."""
    return f"{value.year}年{value.month}月{value.day}日"


def percent(part: int, whole: int) -> Decimal:
    """part / whole as a percentage with one decimal, rounded half up; 0 when whole is 0."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percent_text(value: Decimal | float) -> str:
    """55.5 → "55.5%"."""
    return f"{Decimal(str(value)):.1f}%"


def satisfied_of(row: dict) -> Decimal:
    """满意率 of a stats row: (优秀 + 良好) / all answers, a rate of its own, rounded half up."""
    counts = row["counts"]
    return percent(counts["excellent"] + counts["good"], sum(counts.values()))


def composition_phrase(c: dict[str, Any], shares: bool = False) -> str:
    """生源构成 in words, one wording for 附件5's footer, 附件4's section 一 and the year
    overview: 中高级职称或管理岗位 36 人，基层一线 20 人，原贫困地区 8 人，来自 12 个市州.

    `c` is recruitment's composition of a roster. The counts only when title levels are known
    (a roster imported without the recruitment fields says only where it comes from); with
    `shares`, each count's share of the roster and the divisions as a part of the 17."""

    def count(label: str, n: int) -> str:
        return f"{label} {n} 人（{percent(n, c['total'])}%）" if shares else f"{label} {n} 人"

    parts = []
    if c["title_level_stated"]:
        parts += [
            count("中高级职称或管理岗位", c["eligible"]),
            count("基层一线", c["grassroots"]),
            count("原贫困地区", c["poor_area"]),
        ]
    if c["regions_covered"]:
        covered = c["regions_covered"]
        reach = (
            f"全省 {len(HUBEI_DIVISIONS)} 个市州中的 {covered} 个"
            if shares
            else f" {covered} 个市州"
        )
        parts.append(f"来自{reach}")
    return "，".join(parts)
