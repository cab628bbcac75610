"""The papers sent to the province office after a class (notice 三): 总结报告 (附件4) with
学员满意度测评统计表 (附件3), 研修人员名单 (附件5), 经费决算表 (附件6) and 图文动态信息,
in one zip, each file named as the office files them, and the class's 学时登记表 once it has
certificates. "Mark as sent"
(POST /classes/{id}/paperwork/sent) refers to this package."""

import io
import re
import zipfile
from collections.abc import Callable

from backend.classes.models import TrainingClass
from backend.completion import credits
from backend.completion.logic import certificates_of_class, completion_view
from backend.exports import budget, news, report, roster, tally

#: A name's characters that file systems refuse.
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


Paper = tuple[str, str, Callable[[TrainingClass], bytes]]


def _papers(training_class: TrainingClass, full_phones: bool) -> list[Paper]:
    """(form, extension, build) of each paper, in the notice's order; the 学时 register last,
    when the class has certificates."""
    papers: list[Paper] = [
        ("附件3_学员满意度测评统计表", "xlsx", lambda c: tally.tally_xlsx(tally.gather(c))),
        ("附件4_总结报告", "docx", lambda c: report.report_docx(report.gather(c))),
        (
            "附件5_研修人员名单",
            "xlsx",
            lambda c: roster.roster_xlsx(roster.gather(c, full_phones=full_phones)),
        ),
        ("附件6_经费决算表", "xlsx", lambda c: budget.budget_xlsx(budget.gather(c))),
        ("图文动态信息", "docx", lambda c: news.news_docx(news.gather(c))),
    ]
    if certificates_of_class(training_class.id):
        papers.append(("学时登记表", "xlsx", lambda c: credits.credits_xlsx(c, completion_view(c))))
    return papers


def file_name(form: str, project_name: str, extension: str) -> str:
    """附件3_学员满意度测评统计表_<项目名称>.xlsx."""
    return f"{form}_{_UNSAFE.sub('', project_name)}.{extension}"


def package_name(training_class: TrainingClass) -> str:
    return f"上报材料_{_UNSAFE.sub('', training_class.project.name)}.zip"


def submission_zip(training_class: TrainingClass, full_phones: bool) -> bytes:
    """Every paper of the class in one zip (UTF-8 names, as Windows 10+ and macOS read them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for form, extension, build in _papers(training_class, full_phones):
            name = file_name(form, training_class.project.name, extension)
            archive.writestr(name, build(training_class))
    return buffer.getvalue()


def paper_names(training_class: TrainingClass) -> list[str]:
    """The file names the zip holds, in order."""
    return [
        file_name(form, training_class.project.name, extension)
        for form, extension, _build in _papers(training_class, False)
    ]
