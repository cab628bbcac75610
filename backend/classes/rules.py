"""The notice's rules on a class (DOMAIN.md rules 1 and 4): warnings, not refusals.

The numbers come from the class's plan year (2023: finished by 10月10日, "学员40人左右",
"研修时间为4天左右"); a class is "far from" a norm outside these shares of it.
"""

from datetime import date

from backend.plans.models import PlanYear

#: Warn when the planned size is outside ½ to 1½ times the norm (2023: 20 to 60).
CAPACITY_SPREAD = (0.5, 1.5)
#: Warn when the length is outside ½ to 1¾ times the norm, both ends included (2023: 2 to 7).
DAYS_SPREAD = (0.5, 1.75)


def _within(value: int, norm: int, spread: tuple[float, float]) -> bool:
    low, high = spread
    return norm * low <= value <= norm * high


def class_warnings(start: date, end: date, capacity: int, plan: PlanYear) -> list[str]:
    """One Chinese sentence per rule the class breaks."""
    warnings = []
    if end > plan.deadline:
        warnings.append(
            f"结束日期 {end.isoformat()} 晚于年度计划完成期限 {plan.deadline.isoformat()}，"
            "按规定不予资助"
        )
    if not _within(capacity, plan.class_size, CAPACITY_SPREAD):
        warnings.append(f"计划招收 {capacity} 人，与“学员{plan.class_size}人左右”的要求相差较大")
    days = (end - start).days + 1
    if not _within(days, plan.class_days, DAYS_SPREAD):
        warnings.append(f"研修时间 {days} 天，与“{plan.class_days}天左右”的要求相差较大")
    return warnings
