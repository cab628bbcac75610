"""Small images made with Pillow for the upload tests."""

import io

from PIL import Image


def image_bytes(kind: str = "PNG", size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def upload(api, token, class_id, data: bytes, name="photo.png", caption=None):
    form = {"file": (io.BytesIO(data), name)}
    if caption is not None:
        form["caption"] = caption
    return api.post(
        f"/classes/{class_id}/report/pictures", token, data=form, content_type="multipart/form-data"
    )
