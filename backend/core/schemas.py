"""Shared marshmallow pieces: Chinese validation messages and time fields.

Marshmallow's messages are English; trainees and organizers read Chinese, so the
default messages are replaced once here, for every schema of the app.
"""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

_MESSAGES: dict[type, dict[str, str]] = {
    fields.Field: {"required": "必填", "null": "不能为空", "validator_failed": "取值无效"},
    fields.String: {"invalid": "应为文本", "invalid_utf8": "不是有效的 UTF-8 文本"},
    fields.Integer: {"invalid": "应为整数"},
    fields.Number: {"invalid": "应为数字", "too_large": "数字过大"},
    fields.Decimal: {"special": "应为有限的数字"},
    fields.Date: {"invalid": "应为日期，如 2023-09-01", "format": "日期格式无效"},
    fields.DateTime: {
        "invalid": "应为时间，如 2023-09-01T09:00:00",
        "invalid_awareness": "时间格式无效",
        "format": "时间格式无效",
    },
    fields.Boolean: {"invalid": "应为 true 或 false"},
    fields.List: {"invalid": "应为列表"},
    fields.Dict: {"invalid": "应为对象"},
    fields.Nested: {"type": "应为对象"},
}
for _field, _messages in _MESSAGES.items():
    _field.default_error_messages = {**_field.default_error_messages, **_messages}
fields.AwareDateTime.default_error_messages = dict(fields.DateTime.default_error_messages)
Schema._default_error_messages = {"type": "请求内容应为 JSON 对象", "unknown": "不认识的字段"}
validate.OneOf.default_message = "应为以下之一：{choices}"
validate.Length.message_max = "最多 {max} 个字"
validate.Length.message_min = "至少 {min} 个字"
validate.Length.message_all = "长度应为 {min} 到 {max} 个字"
validate.Length.message_equal = "应为 {equal} 个字"
validate.Range.message_min = "应不小于 {{min}}"
validate.Range.message_max = "应不大于 {{max}}"
validate.Range.message_all = "应在 {{min}} 与 {{max}} 之间"
validate.Regexp.default_message = "格式无效"

from backend.core.errors import not_found  # noqa: E402
from backend.core.timeutil import CHINA, to_china  # noqa: E402

#: Every date and time accepted anywhere (API.md "Rules tightened"); outside: 422.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
#: The range of an `integer` column, which every id sent in a JSON body or a query refers
#: to: beyond it an id names nothing (404), any other number is too large (422).
DB_INT_MIN, DB_INT_MAX = -(2**31), 2**31 - 1
#: The largest `bigint` (the survey's random ids, which appear in URLs only).
BIGINT_MAX = 2**63 - 1


def _day_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _bounded(deserialize: Callable) -> Callable:
    """Wrap a date or datetime field's deserialisation with the sane range."""

    def bounded(self, value, attr, data, **kwargs):
        result = deserialize(self, value, attr, data, **kwargs)
        if result is not None and not FIRST_DAY <= _day_of(result) <= LAST_DAY:
            raise ValidationError(f"应在 {FIRST_DAY} 与 {LAST_DAY} 之间")
        return result

    return bounded


def _in_int_range(deserialize: Callable) -> Callable:
    """Wrap an integer field: beyond the database's range an id is 404 (it names nothing,
    API.md), any other number 422."""

    def in_range(self, value, attr, data, **kwargs):
        number = deserialize(self, value, attr, data, **kwargs)
        if number is not None and not DB_INT_MIN <= number <= DB_INT_MAX:
            if attr and (attr == "id" or attr.endswith("_id")):
                raise not_found()
            raise ValidationError("数字过大")
        return number

    return in_range


# Once, for every schema of the app, like the messages above.
fields.Date._deserialize = _bounded(fields.Date._deserialize)
fields.DateTime._deserialize = _bounded(fields.DateTime._deserialize)
fields.Integer._deserialize = _in_int_range(fields.Integer._deserialize)


class ChinaDateTime(fields.AwareDateTime):
    """ISO 8601 in and out; a time without an offset is Asia/Shanghai; output has +08:00."""

    def __init__(self, **kwargs) -> None:
        super().__init__(default_timezone=CHINA, **kwargs)

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        return None if value is None else super()._serialize(to_china(value), attr, obj, **kwargs)


def china_iso(value: datetime) -> str:
    """A time as ChinaDateTime answers it: ISO 8601 with +08:00."""
    return to_china(value).isoformat()


#: What PlainDump does to a plain field's value (nothing for text, numbers and booleans, whose
#: values are already of the field's type).
_PLAIN: dict[type, Callable[[Any], Any] | None] = {
    ChinaDateTime: china_iso,
    fields.Date: date.isoformat,
    fields.String: None,
    fields.Integer: None,
    fields.Boolean: None,
}


class PlainDump:
    """A schema's dump of many dicts, the same JSON without marshmallow's work per field.

    For answers of thousands of rows. The schema stays the one description of the answer (the
    OpenAPI document is made from it): the fields, their keys and how each is written come
    from it, and only plain fields are allowed (text, integers, booleans, ChinaDateTime, dates,
    lists of text and lists of such nested schemas), whose values are already of their type.
    """

    def __init__(self, schema: Schema) -> None:
        self.fields = [
            (field.data_key or name, field.attribute or name, self._writer(field))
            for name, field in schema.dump_fields.items()
        ]

    def _writer(self, field: fields.Field) -> Callable[[Any], Any] | None:
        if isinstance(field, fields.List):
            inner = field.inner
            if isinstance(inner, fields.Nested):
                nested = PlainDump(inner.schema)
                return lambda items: [nested.one(item) for item in items]
            if self._writer(inner) is None:
                return list
        for kind, writer in _PLAIN.items():
            if type(field) is kind:
                return writer
        raise TypeError(f"PlainDump: {type(field).__name__} is not a plain field")

    def one(self, row: dict[str, Any]) -> dict[str, Any]:
        answer = {}
        for key, attribute, writer in self.fields:
            value = row[attribute]
            answer[key] = value if writer is None or value is None else writer(value)
        return answer

    def many(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.one(row) for row in rows]


#: Control characters, and characters that show nothing or reorder what follows: zero-width
#: and bidi marks and isolates (U+200B-200F, U+202A-202E, U+2066-2069, U+061C), the soft
#: hyphen, word joiner and invisible operators (U+00AD, U+2060-2064), the Mongolian vowel
#: separator, the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the grapheme joiner
#: (U+034F), the BOM, and lone surrogates.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ud800-\udfff]"
)


def clean_text(value: str, multiline: bool = False) -> str:
    """Strip the ends and drop invisible characters (newlines kept only in multi-line text)."""
    value = _INVISIBLE.sub("", value)
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    return value.strip()


def normalise_username(value: str) -> str:
    """A username as stored and as counted by the log-in limits: cleaned, then NFKC, so that
    " admin", "admin\u200b" and a full-width "ａｄｍｉｎ" are all "admin"."""
    return unicodedata.normalize("NFKC", clean_text(value))


class Text(fields.String):
    """A string cleaned of control characters and outer spaces, with a length limit.

    `required=True` also refuses a value that is empty once cleaned.
    """

    def __init__(self, max_length: int, multiline: bool = False, **kwargs) -> None:
        self.multiline = multiline
        super().__init__(validate=validate.Length(max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = clean_text(super()._deserialize(value, attr, data, **kwargs), self.multiline)
        if self.required and not text:
            raise ValidationError("不能为空")
        return text


class ExactNumber(fields.Float):
    """A JSON number read as a Decimal (exact: 0.1 stays 0.1), documented as a number."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        return None if number is None else Decimal(str(number))
