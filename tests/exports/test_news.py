"""图文动态信息: news items written through the API, their pictures, the Word document, and
the submission zip that carries every paper."""

import io
import zipfile
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.exports.conftest import PROJECT, ok
from tests.exports.pictures import image_bytes

pytestmark = pytest.mark.usefixtures("plan_open")


def _news(api, world, class_id, **changes):
    from backend.core.timeutil import today_in_china

    body = {
        "title": "开班仪式隆重举行",
        "date": today_in_china().isoformat(),
        "text": "第一段\n第二段",
    }
    return api.post(f"/classes/{class_id}/news", world.organizer, json={**body, **changes})


def _picture(api, token, news_id, caption="合影留念"):
    return api.post(
        f"/news/{news_id}/pictures",
        token,
        data={"file": (io.BytesIO(image_bytes(size=(400, 300))), "a.png"), "caption": caption},
        content_type="multipart/form-data",
    )


def test_news_items_are_written_listed_changed_and_deleted(api, world):
    item = ok(_news(api, world, world.class_id), 201)
    assert item["title"] == "开班仪式隆重举行" and item["pictures"] == []
    picture = ok(_picture(api, world.organizer, item["id"]), 201)
    assert (picture["width"], picture["height"], picture["caption"]) == (400, 300, "合影留念")
    image = api.get(f"/news/{item['id']}/pictures/{picture['id']}", world.admin)
    assert image.status_code == 200 and image.mimetype == "image/png"
    changed = ok(api.patch(f"/news/{item['id']}", world.organizer, json={"title": "专家授课"}))
    assert changed["title"] == "专家授课" and changed["text"] == "第一段\n第二段"
    listed = ok(api.get(f"/classes/{world.class_id}/news", world.admin))
    assert [n["title"] for n in listed] == ["专家授课"]
    assert [p["caption"] for p in listed[0]["pictures"]] == ["合影留念"]
    assert api.delete(f"/news/{item['id']}", world.organizer).status_code == 204
    assert ok(api.get(f"/classes/{world.class_id}/news", world.organizer)) == []


def test_bad_news_is_refused_in_chinese_and_changes_nothing(api, world):
    from backend.core.timeutil import today_in_china

    far = (today_in_china() + timedelta(days=90)).isoformat()
    response = _news(api, world, world.class_id, date=far)
    assert (
        response.status_code == 422 and "办班时间前后一个月内" in response.json["fields"]["date"][0]
    )
    response = _news(api, world, world.class_id, title="  ")
    assert response.status_code == 422 and response.json["fields"]["title"] == ["不能为空"]
    assert ok(api.get(f"/classes/{world.class_id}/news", world.organizer)) == []
    item = ok(_news(api, world, world.class_id), 201)
    broken = api.post(
        f"/news/{item['id']}/pictures",
        world.organizer,
        data={"file": (io.BytesIO(b"not a picture"), "a.png")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 422 and "PNG 或 JPEG" in broken.json["fields"]["file"][0]


def test_another_units_news_is_not_found(api, world):
    item = ok(_news(api, world, world.class_id), 201)
    other = world.other_organizer
    assert _news(api, world, world.class_id).status_code == 201
    assert api.get(f"/classes/{world.class_id}/news", other).status_code == 404
    assert api.patch(f"/news/{item['id']}", other, json={"title": "x"}).status_code == 404
    assert api.delete(f"/news/{item['id']}", other).status_code == 404
    assert _picture(api, other, item["id"]).status_code == 404
    assert api.post(f"/classes/{world.class_id}/news", world.admin, json={}).status_code == 403
    assert api.get(f"/classes/{world.class_id}/news", world.trainee).status_code == 403


def test_news_docx_holds_every_item_with_its_pictures(api, world):
    first = ok(_news(api, world, world.class_id, title="开班仪式隆重举行"), 201)
    ok(_picture(api, world.organizer, first["id"], caption="开班仪式现场"), 201)
    ok(_news(api, world, world.class_id, title="学员赴企业现场教学", text="参观生产线"), 201)
    response = api.get(f"/classes/{world.class_id}/exports/news.docx", world.organizer)
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "图文动态信息" and texts[1] == PROJECT
    assert "1. 开班仪式隆重举行" in texts and "2. 学员赴企业现场教学" in texts
    assert "开班仪式现场" in texts and "参观生产线" in texts
    assert len(doc.inline_shapes) == 1
    assert round(doc.sections[0].page_width.cm, 1) == 21.0


def test_the_submission_zip_holds_the_five_papers_named_as_filed(api, world):
    ok(_news(api, world, world.class_id), 201)
    response = api.get(f"/classes/{world.class_id}/exports/submission.zip", world.organizer)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == [
        f"附件3_学员满意度测评统计表_{PROJECT}.xlsx",
        f"附件4_总结报告_{PROJECT}.docx",
        f"附件5_研修人员名单_{PROJECT}.xlsx",
        f"附件6_经费决算表_{PROJECT}.xlsx",
        f"图文动态信息_{PROJECT}.docx",
    ]
    roster = load_workbook(io.BytesIO(archive.read(f"附件5_研修人员名单_{PROJECT}.xlsx")))
    assert roster.active["H4"].value == "13900000001"  # the organizer's copy: full phones
    news = Document(io.BytesIO(archive.read(f"图文动态信息_{PROJECT}.docx")))
    assert "1. 开班仪式隆重举行" in [p.text for p in news.paragraphs]
    masked = api.get(f"/classes/{world.class_id}/exports/submission.zip", world.admin)
    roster = zipfile.ZipFile(io.BytesIO(masked.data)).read(f"附件5_研修人员名单_{PROJECT}.xlsx")
    assert load_workbook(io.BytesIO(roster)).active["H4"].value == "139****0001"
    assert (
        api.get(
            f"/classes/{world.class_id}/exports/submission.zip", world.other_organizer
        ).status_code
        == 404
    )
