"""The way in: the mini-program code (wechatpy against the fake WeChat server), the plain QR
code and public page without WeChat, and the printable poster, rendered and read back."""

import io
import subprocess

import pytest
import zxingcpp
from PIL import Image

from backend.auth.logic import init_wechat
from tests.recruitment.helpers import new_class, recruiting_class


@pytest.fixture
def wechat(app, fake_wechat):
    app.config.update(
        WECHAT_APP_ID=fake_wechat.app_id,
        WECHAT_APP_SECRET=fake_wechat.app_secret,
        WECHAT_API_BASE=fake_wechat.base_url,
    )
    init_wechat(app)
    return fake_wechat


def _decoded(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_mini_program_code_opens_the_apply_page_of_the_class(api, world, wechat):
    class_id = recruiting_class(api, world)
    answer = api.get(f"/classes/{class_id}/recruitment/entry.png", world.organizer)
    assert answer.status_code == 200 and answer.data.startswith(b"\x89PNG")
    call = wechat.calls_to("wxa/getwxacodeunlimit")[-1][2]
    assert (call["page"], call["scene"]) == ("pages/apply/apply", f"c={class_id}")
    assert _decoded(answer.data) == [f"pages/apply/apply?scene=c={class_id}"]


def test_without_wechat_the_code_is_a_plain_qr_of_the_public_page(api, client, world):
    class_id = recruiting_class(api, world)
    answer = api.get(f"/classes/{class_id}/recruitment/entry.png", world.admin)
    assert answer.status_code == 200
    (link,) = _decoded(answer.data)
    assert link == f"http://localhost/recruit/{class_id}"
    page = client.get(f"/recruit/{class_id}").get_data(as_text=True)
    assert "区块链技术数字化工程师高级研修班" in page and "报名中" in page
    assert "中高级职称" in page and "研修通" in page


def test_a_class_that_never_recruited_has_no_entry(api, client, world):
    class_id = new_class(api, world.organizer)
    assert api.get(f"/classes/{class_id}/recruitment/entry.png", world.organizer).status_code == 404
    assert client.get(f"/recruit/{class_id}").status_code == 404
    other = api.get(f"/classes/{class_id}/recruitment/poster.pdf", world.other_organizer)
    assert other.status_code == 404


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pdf_png(pdf: bytes, tmp_path) -> bytes:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", str(path), str(tmp_path / "p")], check=True
    )
    return (tmp_path / "p.png").read_bytes()


@pytest.mark.parametrize("with_wechat", [True, False])
def test_the_poster_prints_the_class_and_a_code_that_scans(
    request, api, world, tmp_path, with_wechat
):
    if with_wechat:
        request.getfixturevalue("wechat")
    class_id = recruiting_class(api, world, quota=38, notice="食宿由承办单位统一安排。")
    answer = api.get(f"/classes/{class_id}/recruitment/poster.pdf", world.organizer)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = "".join(_pdf_text(answer.data, tmp_path).split())
    for expected in (
        "区块链技术数字化工程师高级研修班",
        "华中科技大学",
        "武汉市洪山区华中科技大学",
        "中高级职称",
        "基层一线",
        "38人",
        "食宿由承办单位统一安排",
    ):
        assert expected in text, expected
    image = _pdf_png(answer.data, tmp_path)
    (tmp_path.parent / f"poster-{'wxacode' if with_wechat else 'qr'}.png").write_bytes(image)
    decoded = _decoded(image)
    if with_wechat:
        assert decoded == [f"pages/apply/apply?scene=c={class_id}"]
        assert "进入小程序报名" in text
    else:
        assert decoded == [f"http://localhost/recruit/{class_id}"]
        assert f"http://localhost/recruit/{class_id}" in text
