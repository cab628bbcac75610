"""The way in: a mini-program code opening the apply page, or, without WeChat, a plain QR
code of the class's public recruitment page; and the printable poster (招生海报) with it."""

import logging
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, url_for

from backend.checkin.images import qr_png
from backend.wechat.client import MiniProgramClient, WeChatError

log = logging.getLogger(__name__)

#: The mini-program page a code opens; it reads the class from `options.scene` ("c=<id>").
APPLY_PAGE = "pages/apply/apply"


@dataclass(frozen=True)
class Entry:
    """The code's PNG, whether it is a mini-program code, and the public link."""

    image: bytes
    wxacode: bool
    link: str


def scene_of(class_id: int) -> str:
    return f"c={class_id}"


def link_of(class_id: int) -> str:
    """The public page of the class's recruitment (what the plain QR code opens)."""
    return url_for("recruitment_pages.entry_page", class_id=class_id, _external=True)


@lru_cache(maxsize=64)
def _wxacode(client: MiniProgramClient, scene: str) -> bytes:
    """One WeChat call per class and process: the code never changes."""
    return client.wxa_code_unlimited(scene, page=APPLY_PAGE)


def entry_of(class_id: int) -> Entry:
    """The mini-program code when WeChat is configured and answers; a plain QR code of the
    public link otherwise (a poster must print even when WeChat is down)."""
    link = link_of(class_id)
    client = current_app.extensions.get("wechat")
    if client is not None:
        try:
            return Entry(_wxacode(client, scene_of(class_id)), True, link)
        except WeChatError as error:
            log.warning("mini-program code unavailable, plain QR instead: %s", type(error).__name__)
    return Entry(qr_png(link), False, link)
