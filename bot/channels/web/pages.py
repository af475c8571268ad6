"""The demo page (`GET /`, a fictional district website embedding the widget) and `GET /widget.js`.

The widget itself is the static file bot/channels/web/static/widget.js; it builds its UI in a Shadow DOM and
calls the API in bot/channels/web/api.py. Kiosk and admin pages live in kiosk.py and admin.py.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, send_from_directory

from bot.channels.web import get_state
from bot.channels.web.security import content_security_policy

bp = Blueprint("pages", __name__)

WIDGET_MAX_AGE = 600  # ten minutes: hosts embed one URL, so a fix must reach visitors the same day

# CSP decision for the page hosting the widget. The widget keeps its CSS inside its shadow root (host
# CSS cannot reach in, ours cannot leak out) and ships it inside widget.js, so one <script> tag is the
# whole integration and no second URL has to be allowed by the host. It applies the CSS as a
# constructable stylesheet (adoptedStyleSheets), which CSP does not govern (checked in Chromium: the
# widget is fully styled under a strict style-src 'self'), and falls back to a <style> element in the
# shadow root on browsers without constructable stylesheets (Safari < 16.4, old domestic browser cores);
# CSP counts that element as an inline style. So this page allows style-src 'unsafe-inline' -- styles
# only: scripts stay 'self' (no inline script, no eval), style injection cannot run code, and the
# widget inserts all untrusted text with textContent anyway. Kiosk and admin pages keep the strict policy.
WIDGET_HOST_CSP = content_security_policy(inline_styles=True, framing="'self'")


@bp.get("/")
def demo() -> Response:
    settings = get_state().settings
    region = settings["search.default_region"] or "槐荫区"
    resp = Response(render_template("demo.html", region=region, site_name=settings["web.site_name"]))
    resp.headers["Content-Security-Policy"] = WIDGET_HOST_CSP
    return resp


@bp.get("/widget.js")
def widget() -> Response:
    resp = send_from_directory(current_app.static_folder or "static", "widget.js", max_age=WIDGET_MAX_AGE,
                               mimetype="text/javascript")
    resp.headers["Cache-Control"] = f"public, max-age={WIDGET_MAX_AGE}"
    # Other sites load this script; let them even when they isolate themselves (COEP).
    resp.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return resp
