"""Calling WeChat from a request: the app's client, and WeChat's failures as our answers."""

from collections.abc import Callable
from typing import TypeVar

from flask import current_app

from backend.core.errors import ApiError
from backend.wechat.client import (
    MiniProgramClient,
    WeChatError,
    WeChatRateLimited,
    WeChatUnavailable,
)

T = TypeVar("T")


def call_wechat(
    call: Callable[[MiniProgramClient], T],
    refusal: type[WeChatError],
    refused: ApiError,
    unconfigured: str,
) -> T:
    """Run `call` with the app's WeChat client. WeChat refusing the request (`refusal`)
    answers `refused`; too frequent 429; unreachable or no client configured 503."""
    client = current_app.extensions.get("wechat")
    if client is None:
        raise ApiError(503, "unavailable", unconfigured)
    try:
        return call(client)
    except refusal as error:
        raise refused from error
    except WeChatRateLimited as error:
        raise ApiError(429, "rate_limited", "操作过于频繁，请稍后再试") from error
    except (WeChatUnavailable, WeChatError) as error:
        raise ApiError(503, "unavailable", "暂时无法连接微信服务器，请稍后再试") from error
