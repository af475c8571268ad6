"""`GET /kiosk`: the full-screen touch page for a front desk (template kiosk.html, script static/kiosk.js).

Settings reach the script as data- attributes (no inline script under the CSP): site name, office
phone, region and the idle timeout, which `?idle=N` overrides so browser tests need not wait 90 s.
"""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from bot.channels.web import get_state

bp = Blueprint("kiosk", __name__)

MAX_IDLE_SECONDS = 3600


@bp.get("/kiosk")
def kiosk() -> Response:
    settings = get_state().settings
    idle = settings.integer("web.kiosk_idle_seconds")
    raw = request.args.get("idle", "")
    if raw.isascii() and raw.isdigit():  # not "²" (isdigit alone accepts it); 5 000 digits clamp
        idle = int(raw) if len(raw) <= 6 else MAX_IDLE_SECONDS
    idle = max(1, min(MAX_IDLE_SECONDS, idle))
    region = (request.args.get("region") or settings["search.default_region"] or "")[:40]
    html = render_template("kiosk.html", site_name=settings["web.site_name"], phone=settings["web.office_phone"],
                           hotline=settings["search.hotline"], idle=idle, region=region)
    resp = Response(html)
    resp.headers["Cache-Control"] = "no-store"
    return resp
