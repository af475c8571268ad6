"""`serve --workers 2` says what happens in one line each: an unreachable database is one `error:` line
(no "is running", no worker tracebacks), and SIGTERM ends with a stop line (issue 21)."""
from __future__ import annotations

import signal

import pytest

from .server import until

pytestmark = pytest.mark.faults


def test_unreachable_database_with_workers_is_one_line(start_server) -> None:
    with pytest.raises(AssertionError) as failed:  # port 1: nothing listens, refused at once
        start_server("postgresql://nobody:secret@127.0.0.1:1/missing", timeout=60, args=("--workers", "2"))
    out = str(failed.value)
    lines = [line for line in out.splitlines()[1:] if line.strip() and not line.startswith("正在加载")]
    assert len(lines) == 1 and lines[0].startswith("error: cannot connect to PostgreSQL"), out
    assert "secret" not in out and "is running" not in out and "Traceback" not in out


def test_sigterm_with_workers_prints_a_stop_line(start_server) -> None:
    server = start_server(args=("--workers", "2"))
    assert server.ask("依申请公开要多久答复？")[0] == 200
    server.signal(signal.SIGTERM)
    assert server.wait(60) == 0, server.log
    assert until(lambda: "stopped:" in server.log, 10), server.log
    assert "Traceback" not in server.log
