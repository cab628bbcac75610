"""The pictures a projector shows: the QR code (SVG, PNG) and the WeChat mini-program code."""

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from flask import current_app

from backend.core.errors import ApiError
from backend.wechat.client import MiniProgramClient, WeChatError, WeChatRateLimited

#: The mini-program page a mini-program code opens; it reads `options.scene`.
CHECKIN_PAGE = "pages/checkin/checkin"


def qr_svg(text: str) -> bytes:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    return image.to_string(encoding="unicode").encode()


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(text, box_size=12, border=2).save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=64)
def _wxacode(client: MiniProgramClient, scene: str) -> bytes:
    """One WeChat call per scene and process: reloading the projector costs nothing."""
    return client.wxa_code_unlimited(scene, page=CHECKIN_PAGE)


def wxacode(scene: str) -> bytes:
    """The mini-program code for a scene; 503 without WeChat credentials or when WeChat fails."""
    client = current_app.extensions.get("wechat")
    if client is None:
        raise ApiError(503, "unavailable", "未配置微信小程序，无法生成小程序码，请使用二维码签到")
    try:
        return _wxacode(client, scene)
    except WeChatRateLimited as error:
        raise ApiError(429, "rate_limited", "微信接口调用过于频繁，请稍后再试") from error
    except WeChatError as error:
        raise ApiError(503, "unavailable", "暂时无法生成小程序码，请使用二维码签到") from error
