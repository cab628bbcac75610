"""附件4: the organizer's sections and pictures through the API."""

from backend.exports.models import ReportPicture
from backend.extensions import db
from tests.exports.pictures import image_bytes, upload


def test_sections_are_replaced_as_a_whole(api, world):
    path = f"/classes/{world.class_id}/report"
    first = api.put(path, world.organizer, json={"sections": {"2": "特点", "3": "做法\n第二段"}})
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["sections"] == {
        "2": "特点",
        "3": "做法\n第二段",
        "4": "",
        "6": "",
        "7": "",
    }
    api.put(path, world.organizer, json={"sections": {"7": "建议"}})
    read = api.get(path, world.admin).get_json()
    assert read["sections"] == {"2": "", "3": "", "4": "", "6": "", "7": "建议"}
    assert read["pictures"] == []


def test_sections_one_and_five_come_from_data(api, world):
    response = api.put(
        f"/classes/{world.class_id}/report",
        world.organizer,
        json={"sections": {"1": "手写的基本情况", "2": "特点"}},
    )
    assert response.status_code == 422
    assert any("一和五由系统生成" in m for m in response.get_json()["fields"]["sections.1.key"])
    assert (
        api.get(f"/classes/{world.class_id}/report", world.organizer).get_json()["sections"]["2"]
        == ""
    )


def test_a_png_and_a_jpeg_are_kept_with_their_caption(api, world):
    png = upload(api, world.organizer, world.class_id, image_bytes("PNG"), caption="开班仪式")
    assert png.status_code == 201, png.get_json()
    assert png.get_json() | {"id": 0, "uploaded_at": ""} == {
        "id": 0,
        "caption": "开班仪式",
        "content_type": "image/png",
        "size": len(image_bytes("PNG")),
        "width": 64,
        "height": 48,
        "uploaded_at": "",
    }
    jpeg = upload(api, world.organizer, world.class_id, image_bytes("JPEG"), name="a.png")
    assert jpeg.get_json()["content_type"] == "image/jpeg"  # what the bytes are, not the name
    pictures = api.get(f"/classes/{world.class_id}/report", world.organizer).get_json()["pictures"]
    assert [p["caption"] for p in pictures] == ["开班仪式", ""]
    image = api.get(f"/classes/{world.class_id}/report/pictures/{pictures[0]['id']}", world.admin)
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data == image_bytes("PNG")


def test_only_real_png_or_jpeg_pictures_are_accepted(app, api, world):
    for data, name in (
        (image_bytes("GIF"), "a.gif"),
        (b"\x89PNG\r\n\x1a\n not really", "a.png"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.png"),
    ):
        response = upload(api, world.organizer, world.class_id, data, name=name)
        assert response.status_code == 422, name
        assert response.get_json()["fields"]["file"] == ["不是有效的 PNG 或 JPEG 图片"]
    too_big = upload(api, world.organizer, world.class_id, b"\0" * (4 * 1024 * 1024 + 1))
    assert too_big.status_code == 413
    assert "4 MB" in too_big.get_json()["message"]
    missing = api.post(
        f"/classes/{world.class_id}/report/pictures",
        world.organizer,
        data={},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ReportPicture)) == 0


def test_deleting_a_picture(api, world):
    picture = upload(api, world.organizer, world.class_id, image_bytes()).get_json()
    path = f"/classes/{world.class_id}/report/pictures/{picture['id']}"
    assert api.delete(path, world.other_organizer).status_code == 404
    assert api.delete(path, world.organizer).status_code == 204
    assert api.get(path, world.organizer).status_code == 404
    assert (
        api.get(f"/classes/{world.class_id}/report", world.organizer).get_json()["pictures"] == []
    )
