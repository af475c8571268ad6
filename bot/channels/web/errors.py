"""Error responses: JSON `{"error": ...}` under /api (never a stack trace), short HTML pages elsewhere.

The admin's script API (/admin/api/*) gets JSON too. Registered by create_app. Views raise `ApiError(status, message)` for bad requests; anything unexpected
is logged with its traceback server-side and answered "internal error".
"""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from bot.channels.web.security import is_api_path

log = logging.getLogger("bot.channels.web")

ADMIN_API_PREFIX = "/admin/api/"

MESSAGES = {
    400: "bad request",
    401: "authentication required",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    413: "request body too large",
    415: "unsupported media type: send Content-Type: application/json",
    429: "too many requests",
    500: "internal error",
}


class ApiError(Exception):
    """A client error with the status and the message the client sees."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def json_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    resp = jsonify({"error": message})
    resp.status_code = status
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _html_error(status: int, title: str, detail: str) -> Response:
    body = (f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{status} {escape(title)}</title>"
            f"<h1>{status} {escape(title)}</h1><p>{escape(detail)}</p></html>")
    return Response(body, status=status, mimetype="text/html")


def _describe(exc: HTTPException) -> str:
    code = exc.code or 500
    if code == 404:
        return f"not found: {request.path}"
    if code == 405:
        allowed = ", ".join(sorted(m for m in (getattr(exc, "valid_methods", None) or []) if m != "OPTIONS"))
        return f"method {request.method} not allowed" + (f"; use {allowed}" if allowed else "")
    if code == 413:
        limit = getattr(request, "max_content_length", None)
        return "request body too large" + (f" (at most {limit} bytes)" if limit else "")
    return MESSAGES.get(code, exc.name.lower())


def wants_json(path: str) -> bool:
    """The public API and the admin's script API (/admin/api/*) answer errors as JSON, pages as HTML."""
    return is_api_path(path) or path.startswith(ADMIN_API_PREFIX)


def install(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return json_error(exc.status, exc.message, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        if wants_json(request.path):
            resp = json_error(code, _describe(exc))
        else:
            resp = _html_error(code, exc.name, exc.description or "")
        allowed = getattr(exc, "valid_methods", None)  # werkzeug's MethodNotAllowed has them
        if code == 405 and allowed:
            resp.headers["Allow"] = ", ".join(allowed)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):  # pragma: no cover - routed above
            return _http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json(request.path):
            return json_error(500, "internal error")
        return _html_error(500, InternalServerError().name, "服务暂时不可用，请稍后再试。")
