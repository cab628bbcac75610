"""附件4: the summary report as a Word document, read back with python-docx."""

import io

from docx import Document

from tests.exports.pictures import image_bytes, upload
from tests.exports.test_tally import answered  # noqa: F401  (fixture)

HEADINGS = [
    "一、项目实施基本情况",
    "二、项目主要特点",
    "三、项目主要做法（可附图片）",
    "四、项目主要成效",
    "五、项目邀请专家授课情况",
    "六、项目存在的问题",
    "七、对该项目的意见和建议等",
]


def document(api, token, class_id):
    response = api.get(f"/classes/{class_id}/exports/report.docx", token)
    assert response.status_code == 200, response.get_json()
    assert response.mimetype.endswith("wordprocessingml.document")
    return Document(io.BytesIO(response.data))


def section(doc, heading: str) -> list[str]:
    """The paragraphs' text between a heading and the next."""
    texts, inside = [], False
    for paragraph in doc.paragraphs:
        if paragraph.style.name == "Heading 1":
            inside = paragraph.text == heading
        elif inside:
            texts.append(paragraph.text)
    return texts


def test_report_has_the_seven_headings_and_the_data_sections(api, world, answered):  # noqa: F811
    path = f"/classes/{answered.class_id}/report"
    api.put(
        path,
        world.organizer,
        json={
            "sections": {
                "2": "聚焦区块链技术前沿",
                "3": "专题讲座与现场教学结合\n分组研讨",
                "7": "建议增加实践课时",
            }
        },
    )
    upload(
        api, world.organizer, answered.class_id, image_bytes("PNG", (400, 300)), caption="现场教学"
    )
    doc = document(api, world.organizer, answered.class_id)
    assert doc.paragraphs[0].text == "专业技术人员知识更新工程高级研修项目总结报告"
    assert doc.paragraphs[1].text == "区块链技术数字化工程师高级研修班"
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == HEADINGS

    basics = section(doc, HEADINGS[0])
    assert "承办单位：华中科技大学" in basics
    assert "举办地点：武汉光谷会议中心" in basics
    assert "办班方式：当地线下+异地线上" in basics
    assert "课程安排：共安排授课3次，邀请专家2位" in basics
    # 5 on the roster, 4 attended; 8 check-ins of 15 possible; 4 forms issued, 4 returned.
    assert "研修学员：名单5人，实际参训4人，参训率80.0%；各次课程平均出勤率53.3%" in basics
    assert (
        "满意度测评：发放测评表4份，收回4份，收回率100.0%；学员满意度评价满意率（优秀与良好）75.0%"
        in basics
    )

    assert section(doc, HEADINGS[1]) == ["聚焦区块链技术前沿"]
    practices = section(doc, HEADINGS[2])
    assert practices[:2] == ["专题讲座与现场教学结合", "分组研讨"] and practices[-1] == "现场教学"
    assert len(doc.inline_shapes) == 1
    assert section(doc, HEADINGS[3]) == ["（未填写）"]
    assert section(doc, HEADINGS[6])[0] == "建议增加实践课时"

    assert section(doc, HEADINGS[4])[0].startswith("本期共安排授课3次，邀请专家2位。收回测评表4份")
    table = doc.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["序号", "授课时间", "授课项目", "授课人", "收回份数", "优秀率", "满意率"]
    rates = api.get(f"/classes/{answered.class_id}/survey/stats", world.organizer).get_json()
    first = next(r for r in rates["rows"] if r["key"] == f"session:{answered.session_ids[0]}")
    assert first["rates"]["excellent"] == 50.0
    assert cells[1][2:] == ["区块链技术概论", "王建国\n（教授）", "4", "50.0%", "75.0%"]
    assert cells[2][2:4] == ["智能合约开发实践", "陈静\n（研究员）"]
    assert cells[2][5:] == ["25.0%", "75.0%"]
    assert len(cells) == 4


def test_report_before_anything_was_written(api, world, paper):
    doc = document(api, world.admin, paper.class_id)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == HEADINGS
    assert section(doc, HEADINGS[5]) == ["（未填写）"]
    assert (
        "满意度测评：发放测评表0份，收回0份，收回率0.0%；学员满意度评价满意率（优秀与良好）0.0%"
        in section(doc, HEADINGS[0])
    )


def test_report_is_a4_in_chinese_with_rows_that_never_split(api, world, answered):  # noqa: F811
    from docx.oxml.ns import qn

    doc = document(api, world.organizer, answered.class_id)
    section_ = doc.sections[0]
    assert (round(section_.page_width.cm, 1), round(section_.page_height.cm, 1)) == (21.0, 29.7)
    language = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    language = language.find(qn("w:rPr")).find(qn("w:lang"))
    assert language.get(qn("w:eastAsia")) == "zh-CN"
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:eastAsia")) == "zh-CN"
    table = doc.tables[0]
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
