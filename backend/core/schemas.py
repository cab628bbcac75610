"""Shared marshmallow pieces: Chinese validation messages and time fields.

Marshmallow's messages are English; trainees and organizers read Chinese, so the
default messages are replaced once here, for every schema of the app.
"""

import re
from datetime import datetime
from decimal import Decimal

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

from backend.core.timeutil import CHINA, to_china  # noqa: E402


class ChinaDateTime(fields.AwareDateTime):
    """ISO 8601 in and out; a time without an offset is Asia/Shanghai; output has +08:00."""

    def __init__(self, **kwargs) -> None:
        super().__init__(default_timezone=CHINA, **kwargs)

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        return None if value is None else super()._serialize(to_china(value), attr, obj, **kwargs)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff\ud800-\udfff]")


def clean_text(value: str, multiline: bool = False) -> str:
    """Strip the ends and drop control characters (newlines kept only in multi-line text)."""
    value = _CONTROL.sub("", value)
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    return value.strip()


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
