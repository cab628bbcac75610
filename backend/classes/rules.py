"""The notice's rules on a class (docs/DOMAIN.md rules 1 and 4): warnings, not refusals."""

from datetime import date

#: "学员40人左右": warn outside this range.
CAPACITY_RANGE = (20, 60)
#: "研修时间为4天左右": warn outside this range (days, both ends included).
DAYS_RANGE = (2, 7)


def class_warnings(start: date, end: date, capacity: int, deadline: date | None) -> list[str]:
    """One Chinese sentence per rule the class breaks."""
    warnings = []
    if deadline is not None and end > deadline:
        warnings.append(
            f"结束日期 {end.isoformat()} 晚于年度计划完成期限 {deadline.isoformat()}，"
            "按规定不予资助"
        )
    low, high = CAPACITY_RANGE
    if not low <= capacity <= high:
        warnings.append(f"计划招收 {capacity} 人，与“学员40人左右”的要求相差较大")
    days = (end - start).days + 1
    low, high = DAYS_RANGE
    if not low <= days <= high:
        warnings.append(f"研修时间 {days} 天，与“4天左右”的要求相差较大")
    return warnings
