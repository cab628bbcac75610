"""Hubei's 17 prefecture-level divisions (市州), the one list applications and rosters use.

`region` is always stored as a division's full name; the common short forms (恩施州, 神农架,
a city without 市) are read as the full name, anything else is refused.
"""

from marshmallow import ValidationError, fields

from backend.core.schemas import clean_text

#: The 17 divisions in the province's usual order: 12 cities, 1 autonomous prefecture, and
#: the 4 units administered by the province directly.
HUBEI_DIVISIONS = (
    "武汉市",
    "黄石市",
    "十堰市",
    "宜昌市",
    "襄阳市",
    "鄂州市",
    "荆门市",
    "孝感市",
    "荆州市",
    "黄冈市",
    "咸宁市",
    "随州市",
    "恩施土家族苗族自治州",
    "仙桃市",
    "潜江市",
    "天门市",
    "神农架林区",
)

#: Short forms read as a full name; every city is also known without its 市.
SHORT_FORMS = {
    "恩施州": "恩施土家族苗族自治州",
    "恩施": "恩施土家族苗族自治州",
    "恩施自治州": "恩施土家族苗族自治州",
    "神农架": "神农架林区",
    **{name.removesuffix("市"): name for name in HUBEI_DIVISIONS if name.endswith("市")},
}

REGION_MESSAGE = "应为湖北省的市州之一，如 武汉市、恩施州、神农架林区"


def normalise_region(text: str) -> str | None:
    """The full name of the division `text` names (湖北省 before it is allowed), or None."""
    name = clean_text(text).replace(" ", "").removeprefix("湖北省")
    if name in HUBEI_DIVISIONS:
        return name
    return SHORT_FORMS.get(name)


class RegionField(fields.String):
    """A division of Hubei, stored by its full name; empty stays empty unless required."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not clean_text(text) and not self.required:
            return ""
        region = normalise_region(text)
        if region is None:
            raise ValidationError(REGION_MESSAGE)
        return region
