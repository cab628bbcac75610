"""The layout of 附件2: sections, items and their Chinese labels, in the form's order.

Everything that lists the form's items (the blank form, validation, the tally) reads it
from here, so the order of 附件2 and 附件3 is written down once.
"""

from dataclasses import dataclass

from backend.core.labels import labels_of
from backend.surveys.models import Item, Level

LEVELS: tuple[Level, ...] = tuple(Level)
SECTION_TITLES: dict[str, str] = {
    "faculty": "师资评价",
    "teaching": "教学评价",
    "service": "服务管理评价",
    "satisfaction": "学员满意度评价",
}
LECTURE_LABELS = {"topic": "授课项目", "lecturer": "授课人"}
SUGGESTIONS_LABEL = "意见与建议"
DATE_LABEL = "填报时间"
ANSWER_LEVELS_TEXT = "、".join(level.label for level in Level) + "（" + "、".join(Level) + "）"


@dataclass(frozen=True)
class FixedItem:
    """An item every form has, whatever the schedule."""

    #: How it is stored.
    item: Item
    #: The form's section: faculty, teaching, service or satisfaction.
    section: str
    #: Its key in the API (the response body, the tally's rows).
    key: str
    #: The label printed on the form, next to its section's title.
    label: str
    #: A label that stands alone, for error messages.
    long_label: str

    @property
    def path(self) -> tuple[str, ...]:
        """Where the level sits in a response body: top level or inside its section."""
        return (self.section, self.key) if self.section in ("teaching", "service") else (self.key,)


FIXED_ITEMS: tuple[FixedItem, ...] = (
    FixedItem(Item.FACULTY_OVERALL, "faculty", "faculty_overall", "综合评价", "师资综合评价"),
    FixedItem(Item.CONTENT, "teaching", "content", "教学内容", "教学内容"),
    FixedItem(Item.LEVEL, "teaching", "level", "教学水平", "教学水平"),
    FixedItem(Item.MODE, "teaching", "mode", "教学模式", "教学模式"),
    FixedItem(Item.TEACHING_OVERALL, "teaching", "overall", "综合评价", "教学综合评价"),
    FixedItem(Item.ORGANIZATION, "service", "organization", "组织管理", "组织管理"),
    FixedItem(Item.LOGISTICS, "service", "logistics", "后勤保障", "后勤保障"),
    FixedItem(Item.SERVICE, "service", "service", "服务水平", "服务水平"),
    FixedItem(Item.SERVICE_OVERALL, "service", "overall", "综合评价", "服务管理综合评价"),
    FixedItem(
        Item.SATISFACTION, "satisfaction", "satisfaction", "学员满意度评价", "学员满意度评价"
    ),
)


def section_items(section: str) -> list[FixedItem]:
    """A section's fixed items, in the form's order."""
    return [f for f in FIXED_ITEMS if f.section == section]


def section_keys(section: str) -> list[str]:
    """The API keys of a section's items, in order (e.g. teaching: content, level, ...)."""
    return [f.key for f in section_items(section)]


def labels() -> dict:
    """The Chinese labels sent beside the form, keyed like the form itself."""
    return {
        "levels": labels_of(Level),
        "sections": SECTION_TITLES,
        "lectures": LECTURE_LABELS,
        "faculty_overall": FIXED_ITEMS[0].label,
        "teaching": {f.key: f.label for f in section_items("teaching")},
        "service": {f.key: f.label for f in section_items("service")},
        "satisfaction": FIXED_ITEMS[-1].label,
        "suggestions": SUGGESTIONS_LABEL,
        "date": DATE_LABEL,
    }


def sections() -> list[dict[str, str]]:
    return [{"key": key, "title": title} for key, title in SECTION_TITLES.items()]
