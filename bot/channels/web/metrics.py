"""`GET /metrics` in Prometheus text format (version 0.0.4) when `web.metrics` is on; 404 when off.

Why from the database and not per-process counters: with `serve --workers N` a scrape reaches one
worker at random, and in-process counters would jump between workers' numbers. The question log is
already the one record every process writes (web, kiosk, and the staff bots on the same database), so
`zwgk_questions_total`, `zwgk_declined_total` and the `zwgk_answer_seconds` histogram are counted from
it per `channel` (bot/storage/log_reports.py `channel_totals`): every worker serves the same totals.
A purge (web.log_retention_days) lowers them, which Prometheus treats as a counter reset. Process
figures (`process_*`) are this worker's own, labelled with its pid.
"""
from __future__ import annotations

import os
import time

from flask import Blueprint, Response, abort

from bot.channels.web import get_state
from bot.storage.log_reports import LATENCY_BUCKETS, channel_totals

bp = Blueprint("metrics", __name__)

_STARTED = time.time()


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zwgk-qa")
    except PackageNotFoundError:
        return "unknown"


def render_metrics() -> str:
    """The whole exposition: counters and histogram per channel, then this process's figures."""
    totals = channel_totals(get_state().store)
    out = ["# HELP zwgk_questions_total Questions answered or declined, from the question log.",
           "# TYPE zwgk_questions_total counter"]
    out += [f'zwgk_questions_total{{channel="{_label(t.channel)}"}} {t.questions}' for t in totals]
    out += ["# HELP zwgk_declined_total Questions the bot declined (the plans do not cover them).",
            "# TYPE zwgk_declined_total counter"]
    out += [f'zwgk_declined_total{{channel="{_label(t.channel)}"}} {t.declined}' for t in totals]
    out += ["# HELP zwgk_answer_seconds Time to answer a question.", "# TYPE zwgk_answer_seconds histogram"]
    for t in totals:
        ch = _label(t.channel)
        out += [f'zwgk_answer_seconds_bucket{{channel="{ch}",le="{b}"}} {n}' for b, n in zip(LATENCY_BUCKETS, t.buckets,
                                                                                             strict=True)]
        out += [f'zwgk_answer_seconds_bucket{{channel="{ch}",le="+Inf"}} {t.questions}',
                f'zwgk_answer_seconds_sum{{channel="{ch}"}} {t.seconds_sum:.6f}',
                f'zwgk_answer_seconds_count{{channel="{ch}"}} {t.questions}']
    pid = os.getpid()
    out += ["# HELP zwgk_build_info The running version.", "# TYPE zwgk_build_info gauge",
            f'zwgk_build_info{{version="{_label(_version())}"}} 1',
            "# HELP process_start_time_seconds Start time of this process since the Unix epoch.",
            "# TYPE process_start_time_seconds gauge", f'process_start_time_seconds{{pid="{pid}"}} {_STARTED:.3f}',
            "# HELP process_cpu_seconds_total CPU time of this process.", "# TYPE process_cpu_seconds_total counter",
            f'process_cpu_seconds_total{{pid="{pid}"}} {time.process_time():.3f}',
            "# HELP process_resident_memory_bytes Resident memory of this process (Linux).",
            "# TYPE process_resident_memory_bytes gauge"]
    resident = _resident_bytes()
    if resident is not None:
        out.append(f'process_resident_memory_bytes{{pid="{pid}"}} {resident}')
    return "\n".join(out) + "\n"


def _resident_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):  # no /proc (not Linux): left out
        return None


@bp.get("/metrics")
def metrics() -> Response:
    if not get_state().settings.flag("web.metrics"):
        abort(404)
    resp = Response(render_metrics(), mimetype="text/plain")
    resp.headers["Content-Type"] = "text/plain; version=0.0.4; charset=utf-8"
    resp.headers["Cache-Control"] = "no-store"
    return resp
