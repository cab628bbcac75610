"""Uploads are limited: size (413), type (422), and a zip bomb disguised as .xlsx (413)."""

import io
import zipfile


def _upload(api, world, data, filename="名单.xlsx"):
    return api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_an_upload_over_the_limit_is_413(app, api, world):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = _upload(api, world, b"x" * (128 * 1024))
    assert response.status_code == 413
    assert response.json["error"] == "payload_too_large"


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_unpacked(api, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (80 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024
    response = _upload(api, world, buffer.getvalue())
    assert response.status_code == 413
    assert "过大" in response.json["message"]
    assert len(api.get(f"/classes/{world.class_id}/trainees", world.organizer).json) == 5
