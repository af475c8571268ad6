"""Uncached HTTP load through real servers: `python -m bot serve` with 1 and with N worker processes.

Each server is started as a user would start it, on a free 127.0.0.1 port, over the shipped index,
with the answer cache off (web.answer_cache = 0: every request runs the engine), rate limiting off
and a throw-away database. wrk (Debian package, installed by `make bench`) sends POST /api/ask with
the distinct generated questions of bench/mix.py (each wrk thread its own share, so no question is
sent twice while there are more questions than requests), for a fixed time at a fixed number of
connections. Throughput, latency
percentiles and each worker's RSS and PSS (/proc/<pid>/smaps_rollup) are read while it runs.
Neighbours: bench/run.py calls `bench_http`; bench/measure.py reads process memory.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.measure import child_env, memory_of, progress

START_TIMEOUT = 120  # seconds for a server to answer /healthz

_LUA = """
local questions = %s
local i = 0
local threads = 0
local step = 2
setup = function(thread)
  thread:set("i", threads)
  threads = threads + 1
end
request = function()
  i = i + step
  local body = '{"question":' .. questions[(i %% #questions) + 1] .. ',"channel":"web"}'
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("WRKJSON {\\"requests\\":%%d,\\"seconds\\":%%f,\\"errors\\":%%d,\\"p50_ms\\":%%f,"
    .. "\\"p90_ms\\":%%f,\\"p99_ms\\":%%f,\\"max_ms\\":%%f}\\n", summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


def bench_http(settings: Any, index_path: Path, workers: int, questions: list[str], seconds: float,
               connections: int, think_ms: int = 0) -> dict:
    """1 process, then `workers` processes, each loaded the same way in the same run. `think_ms`: each
    connection pauses a uniform 0 to 2 × think_ms between an answer and its next question in the timed
    run (people at a keyboard rather than a closed loop); 0: it asks again at once."""
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install wrk; `make bench` does)"}
    source = f"{len(questions):,} distinct generated questions"
    r: dict[str, Any] = {"questions": source, "connections": connections, "seconds": seconds, "runs": {},
                         "think_ms": think_ms}
    with tempfile.TemporaryDirectory(prefix="zwgk-http-") as tmp:
        script, warm = Path(tmp) / "ask.lua", Path(tmp) / "warm.lua"
        pause = f"\ndelay = function() return math.random(0, {2 * think_ms}) end\n" if think_ms else ""
        script.write_text(_LUA % ("{" + ",".join(_lua_literal(q) for q in questions) + "}") + pause, encoding="utf-8")
        # the warm-up sends the list from its end, so the timed run's first questions are new to the server
        warm.write_text(_LUA % ("{" + ",".join(_lua_literal(q) for q in questions[::-1]) + "}"), encoding="utf-8")
        for n in sorted({1, workers}):
            progress(f"HTTP: {n} worker process{'es' if n > 1 else ''}, {connections} connections, {seconds:g} s")
            r["runs"][n] = _one_server(settings, index_path, n, (warm, script), Path(tmp) / f"db{n}.sqlite3",
                                       seconds, connections)
    one, many = r["runs"].get(1), r["runs"].get(workers)
    if workers > 1 and one and many and one.get("rps"):
        r["speedup"] = many["rps"] / one["rps"]
    return r


def _lua_literal(question: str) -> str:
    """The question's JSON encoding as a Lua string literal (Lua knows \\" and \\n, not \\uXXXX)."""
    clean = "".join(ch if ch >= " " else " " for ch in question)
    return json.dumps(json.dumps(clean, ensure_ascii=False), ensure_ascii=False)


def _one_server(settings: Any, index_path: Path, workers: int, scripts: tuple[Path, Path], db: Path,
                seconds: float, connections: int) -> dict:
    port = _free_port()
    env = child_env(settings, index_path)
    env.update(ZWGK_WEB__ANSWER_CACHE="0", ZWGK_WEB__RATE_LIMIT="0", ZWGK_WEB__DATABASE=str(db))
    cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    from indexer.settings import PROJECT_ROOT

    server = subprocess.Popen(cmd, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    try:
        _wait_ready(port, server)
        _run_wrk(port, scripts[0], min(seconds, 2.0), connections)  # warm-up: every worker's first questions
        pids = _worker_pids(server.pid) or [server.pid]
        result = _run_wrk(port, scripts[1], seconds, connections, sample_pids=pids)
        result["workers"] = workers
        return result
    finally:
        _stop(server)


def _run_wrk(port: int, script: Path, seconds: float, connections: int, sample_pids: list[int] | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "-s", str(script),
           f"http://127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory: list[dict] = []
    if sample_pids:
        time.sleep(max(0.5, seconds / 2))
        memory = [dict(memory_of(pid), pid=pid) for pid in sample_pids]
    out, err = proc.communicate(timeout=seconds + 60)
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {err.strip()[-400:]}")
    got = json.loads(line[len("WRKJSON "):])
    got["rps"] = got["requests"] / got["seconds"] if got["seconds"] else 0.0
    if memory:
        got["memory"] = memory
    return got


def _worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in children]


def _wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode(errors='replace')[-800:]}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not answer /healthz in time")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    if server.stderr:
        server.stderr.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
