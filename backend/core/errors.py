"""One JSON error shape for every failure: {"error", "message", "fields"?} (docs/API.md)."""

import logging
import math
import time
import traceback
from typing import Any

from flask import Flask, has_request_context, jsonify, render_template, request
from marshmallow import Schema, fields
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

#: PostgreSQL's SQLSTATE for a number beyond its column's type (e.g. an id ≥ 2**31).
NUMERIC_OUT_OF_RANGE = "22003"

#: Error code and Chinese message per HTTP status, for errors raised without our own code.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式有误"),
    401: ("unauthorized", "请先登录，或登录已过期"),
    403: ("forbidden", "没有权限执行此操作"),
    404: ("not_found", "找不到请求的内容"),
    405: ("method_not_allowed", "不支持此请求方法"),
    409: ("conflict", "与当前数据冲突"),
    413: ("payload_too_large", "上传的内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    422: ("validation_failed", "提交的内容有误，请检查标出的字段"),
    429: ("rate_limited", "操作过于频繁，请稍后再试"),
    500: ("internal_error", "服务器内部错误，请稍后再试"),
    503: ("unavailable", "服务暂时不可用，请稍后再试"),
}


class ErrorSchema(Schema):
    """The body of every error answer."""

    error = fields.String(required=True, metadata={"description": "machine-readable code"})
    message = fields.String(required=True, metadata={"description": "what to do, in Chinese"})
    fields = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "per field or row: what is wrong"},
    )


class ApiError(Exception):
    """An error answer with its own code, raised anywhere inside a request."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers = headers or {}


def not_found(message: str = "找不到请求的内容") -> ApiError:
    return ApiError(404, "not_found", message)


def validation_failed(fields: dict[str, list[str]], message: str | None = None) -> ApiError:
    return ApiError(422, "validation_failed", message or STATUS_ERRORS[422][1], fields)


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into {"a.b": ["..."]}."""
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": list(messages)}
    if isinstance(messages, str):
        return {prefix or "_schema": [messages]}
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_messages(value, name))
    return flat


def _webargs_fields(data: dict) -> dict[str, list[str]]:
    """webargs nests messages under the location ("json", "query", "files")."""
    messages = data.get("messages") or data.get("errors") or {}
    flat: dict[str, list[str]] = {}
    for _location, by_field in messages.items():
        flat.update(flatten_messages(by_field))
    return flat


def _wants_page() -> bool:
    """A browser opening one of the staff pages gets an HTML error, the API JSON."""
    return (
        has_request_context()
        and not request.path.startswith("/api/")
        and (request.accept_mimetypes.accept_html)
    )


def error_response(
    status: int, code: str, message: str, fields: dict | None = None, headers: dict | None = None
):
    if _wants_page():
        page = render_template("error.html", status=status, message=message)
        return page, status, headers or {}
    body: dict[str, Any] = {"error": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _retry_after() -> dict[str, str]:
    """Retry-After of a limit the request exceeded: the seconds until it lets one through."""
    from backend.extensions import limiter  # here: extensions imports this module (core.api)

    breached = limiter.current_limit
    if breached is None or not breached.breached:
        return {}
    return {"Retry-After": str(max(1, math.ceil(breached.window.reset_time - time.time())))}


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    code, message = STATUS_ERRORS.get(status, ("error", error.description or "请求失败"))
    data = getattr(error, "data", None) or {}
    fields = _webargs_fields(data) if status == 422 else None
    if status == 400 and data.get("messages"):  # webargs' only 400: the body is not JSON
        message = "请求内容不是有效的 JSON"
    headers = dict(data.get("headers") or {})
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 429:
        headers.update(_retry_after())
    return error_response(status, code, data.get("message") or message, fields, headers)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.fields, error.headers)

    app.register_error_handler(HTTPException, handle_http_exception)

    @app.errorhandler(OperationalError)
    def _db_unavailable(error: OperationalError):
        log.error("database unavailable: %s", error.__class__.__name__)
        return error_response(
            503, "unavailable", "数据库暂时不可用，请稍后重试", headers={"Retry-After": "5"}
        )

    @app.errorhandler(DataError)
    def _out_of_range(error: DataError):
        """An id beyond an `integer` column (PostgreSQL) names nothing: 404 like any unknown
        id. Other data errors are bugs (input is validated before it reaches SQL)."""
        if getattr(error.orig, "sqlstate", None) == NUMERIC_OUT_OF_RANGE:
            return error_response(404, *STATUS_ERRORS[404])
        return _unexpected(error)

    @app.errorhandler(IntegrityError)
    def _integrity(error: IntegrityError):
        return error_response(409, "conflict", "与已有数据冲突，请刷新后重试")

    @app.errorhandler(RecursionError)
    def _too_deep(error: RecursionError):
        """A JSON body nested deeper than any parser recurses (e.g. 100,000 levels)."""
        if has_request_context() and request.is_json:
            return error_response(400, "bad_request", "请求内容嵌套层数过多，不是有效的请求")
        return _unexpected(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.error("unhandled %s\n%s", type(error).__name__, _frames(error))
        return error_response(500, *STATUS_ERRORS[500])


def _frames(error: Exception) -> str:
    """Where an error happened, without its message: messages and SQL parameters can carry
    personal data (names, phone numbers), which must not reach the logs."""
    return "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
    )
