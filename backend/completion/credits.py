"""The class's 学时 register (学时登记表) as .xlsx: what employers record for each course."""

from decimal import Decimal
from typing import Any

from backend.classes.models import TrainingClass
from backend.exports.sheets import (
    CELL,
    HEAD,
    NOTE,
    TEXT,
    block,
    new_sheet,
    printable,
    put,
    title,
    to_bytes,
    widths,
)

HEADERS = (
    "序号",
    "姓名",
    "出勤次数",
    "出勤率",
    "学时",
    "测评表",
    "是否结业",
    "证书编号",
    "未结业原因",
)


def _rate(value: float) -> str:
    return f"{Decimal(str(value)) * 100:.1f}%"


def credits_xlsx(training_class: TrainingClass, view: dict[str, Any]) -> bytes:
    """One row per trainee, in roster order, under the class's title and rule."""
    form = new_sheet("学时登记表")
    columns = len(HEADERS)
    title(form, 1, columns, f"{training_class.title} 学时登记表")
    rule = view["rule"]
    block(
        form,
        2,
        1,
        2,
        columns,
        f"承办单位：{training_class.project.host_unit.name}　研修时间：{training_class.start_date}"
        f" 至 {training_class.end_date}　结业要求：出勤率不低于 {_rate(rule['min_attendance'])}"
        + ("，并提交满意度测评表" if rule["require_survey"] else ""),
        NOTE,
    )
    for column, header in enumerate(HEADERS, start=1):
        put(form, 3, column, header, HEAD)
    for index, trainee in enumerate(view["trainees"], start=1):
        row = 3 + index
        certificate = trainee["certificate"]
        values = (
            index,
            trainee["name"],
            f"{trainee['sessions_attended']}/{trainee['sessions_total']}",
            _rate(trainee["attendance_rate"]),
            trainee["credit_hours"],
            "已提交" if trainee["survey_returned"] else "未提交",
            "是" if trainee["completed"] else "否",
            certificate.number if certificate and certificate.revoked_at is None else "",
        )
        for column, value in enumerate(values, start=1):
            put(form, row, column, value, CELL)
        put(form, row, columns, "；".join(trainee["reasons"]), TEXT)
    widths(form, 6, 10, 9, 8, 7, 8, 8, 22, 36)
    printable(form, title_rows=(3, 3), landscape=True)
    return to_bytes(form)
