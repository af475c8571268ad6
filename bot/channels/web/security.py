"""Response headers that keep pages and the API safe to embed: CSP, nosniff, CORS for /api.

Installed by create_app (bot/channels/web/__init__.py) as an after_request hook. Pages that need a looser policy
(the demo page hosting the widget) set their own Content-Security-Policy header, which is left alone.
"""
from __future__ import annotations

from flask import Flask, Response, request

API_PREFIXES = ("/api/", "/healthz")


def content_security_policy(*, inline_styles: bool = False, framing: str = "'self'") -> str:
    """The CSP for our HTML pages: scripts only from our own static files, never inline.

    `inline_styles` adds 'unsafe-inline' to style-src only; see pages.py for why the widget host needs it.
    """
    style = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {style}",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {framing}",
    ))


STRICT_CSP = content_security_policy(framing="'none'")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


class Cors:
    """Access-Control-* headers for the API so the widget works when embedded on another site.

    `origins` is web.cors_origins: "*" (any site; no cookies are used by the API, so that is safe) or a
    comma-separated allow-list, in which case the request's Origin is echoed back when listed.
    """

    METHODS = "GET, POST, OPTIONS"
    HEADERS = "Content-Type"
    MAX_AGE = "600"

    def __init__(self, origins: str) -> None:
        items = [o.strip().rstrip("/") for o in str(origins).split(",") if o.strip()]
        self.any = "*" in items
        self.allowed = frozenset(items)

    def allow_origin(self, origin: str | None) -> str | None:
        if self.any:
            return "*"
        if origin and origin.rstrip("/") in self.allowed:
            return origin
        return None

    def preflight(self) -> Response | None:
        """Answer an OPTIONS preflight for /api/* before routing (so it never hits rate limits or views)."""
        if request.method != "OPTIONS" or not is_api_path(request.path):
            return None
        if "Access-Control-Request-Method" not in request.headers:
            return None
        resp = Response(status=204)
        resp.headers["Access-Control-Allow-Methods"] = self.METHODS
        resp.headers["Access-Control-Allow-Headers"] = self.HEADERS
        resp.headers["Access-Control-Max-Age"] = self.MAX_AGE
        return resp

    def decorate(self, resp: Response) -> None:
        if not is_api_path(request.path):
            return
        allowed = self.allow_origin(request.headers.get("Origin"))
        if allowed:
            resp.headers["Access-Control-Allow-Origin"] = allowed
            resp.headers["Access-Control-Expose-Headers"] = "Retry-After"
        if not self.any:
            resp.vary.add("Origin")


def install(app: Flask, cors: Cors) -> None:
    """Register the preflight handler and the header hook on `app`."""

    app.before_request(cors.preflight)

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if resp.mimetype == "text/html":
            resp.headers.setdefault("Content-Security-Policy", STRICT_CSP)
        if is_api_path(request.path):
            resp.headers.setdefault("Cache-Control", "no-store")
        cors.decorate(resp)
        return resp
