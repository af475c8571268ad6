"""Load test for the web API: POST /api/ask with a mix of realistic questions, and GET /healthz.

Standard library only on the client side (threads + http.client keep-alive connections). Without --url
it starts the real app itself — `create_app` over the shipped knowledge/ plans under waitress, in a
child process on a free 127.0.0.1 port, with rate limiting off and a throwaway database — so client
and server do not share one interpreter lock. Bounded by --requests and --seconds, whichever ends first.

    .venv/bin/python bench/load_web.py                      # defaults: 6000 requests, 16 connections
    .venv/bin/python bench/load_web.py --url http://127.0.0.1:8000 --requests 2000

Reports requests per second, p50 / p90 / p99 / max latency per route and errors. Target on the 2-core
dev machine: >= 500 req/s, p99 <= 50 ms, no errors. Not a test: numbers go in the PR description.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

# What people ask the widget and the kiosk: featured questions, follow-ups, lists, typos, off-topic.
QUESTIONS = [
    "槐荫区养老补贴信息公开归哪个部门管？",
    "槐荫区养老补贴政策信息公开由哪个部门负责？",
    "槐荫区就业创业补贴政策信息公开由哪个部门负责？",
    "历城区高校毕业生就业创业信息公开什么时候完成？",
    "槐荫区义务教育信息公开由哪个部门负责？",
    "周村区医保定点医院、药店目录由哪个部门公开？",
    "槐荫区老旧小区、棚户区改造项目清单由哪个部门公开？",
    "槐荫区城乡低保等社会救助信息公开由哪些部门负责？",
    "槐荫区“双随机、一公开”监管信息公开由哪个部门牵头？",
    "槐荫区依申请公开的信息处理费按什么规定计收？",
    "薛城区“政府开放月”活动在几月集中开展？",
    "栖霞市保障性租赁住房要公开哪些信息？",
    "区民政局有哪些任务？",
    "养老",
    "那完成时限呢？",
    "减税降费政策谁负责宣传",
    "今天天气怎么样？",
    "办理护照需要什么材料",
]
HEALTHZ_SHARE = 0.25  # of requests that are GET /healthz (a load balancer's probe, a monitoring system)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"ask": [], "healthz": []})
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float) -> None:
        with self.lock:
            self.latencies[kind].append(ms)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


# -- the server (child process) --------------------------------------------------------------------

def run_server(port: int, database: str, threads: int, cache: bool) -> None:
    """Child process: the real app under waitress; prints its URL on stdout once listening."""
    sys.path.insert(0, str(ROOT))
    import logging

    from waitress.server import create_server

    from bot.channels.web import create_app
    from bot.channels.web.cache import AnswerCache
    from indexer.settings import load_settings

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N" is the point here
    settings = load_settings().replace(web__rate_limit=0, web__database=database, web__threads=threads)
    app = create_app(settings)
    if not cache:
        app.extensions["zwgk"].answers = AnswerCache(0)
    server = create_server(app, host="127.0.0.1", port=port, threads=threads, ident="zwgk-bench")
    print(f"http://127.0.0.1:{server.effective_port}", flush=True)
    server.run()


def start_server(threads: int, cache: bool) -> tuple[subprocess.Popen[str], str, tempfile.TemporaryDirectory[str]]:
    tmp = tempfile.TemporaryDirectory(prefix="zwgk-bench-")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--serve", "--db", str(Path(tmp.name) / "bench.sqlite3"),
           "--server-threads", str(threads)] + ([] if cache else ["--no-cache"])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("http://"):
        proc.kill()
        proc.wait()
        tmp.cleanup()
        raise SystemExit(f"server did not start (got {line!r})")
    return proc, line, tmp


# -- the client ------------------------------------------------------------------------------------

class Worker(threading.Thread):
    def __init__(self, n: int, host: str, port: int, budget: Budget, stats: Stats, seed: int,
                 healthz_share: float = HEALTHZ_SHARE) -> None:
        super().__init__(name=f"client-{n}", daemon=True)
        self.healthz_share = healthz_share
        self.host, self.port = host, port
        self.budget, self.stats = budget, stats
        self.rng = random.Random(seed)
        self.session = f"bench-{n}-{seed}"
        self.conn: http.client.HTTPConnection | None = None

    def connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        return self.conn

    def run(self) -> None:
        try:
            while self.budget.take():
                self.one()
        finally:
            if self.conn is not None:
                self.conn.close()

    def one(self) -> None:
        if self.rng.random() < self.healthz_share:
            kind, method, path, body, headers = "healthz", "GET", "/healthz", None, {}
        else:
            q = self.rng.choice(QUESTIONS)
            # Most visitors ask one or two questions; a new session now and then.
            if self.rng.random() < 0.3:
                self.session = f"bench-{self.name}-{self.rng.random():.12f}"
            payload = {"question": q, "session": self.session}
            if self.rng.random() < 0.5:
                payload["region"] = "槐荫区"
            kind, method, path = "ask", "POST", "/api/ask"
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            conn = self.connection()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            elapsed = (time.perf_counter() - started) * 1000
            if resp.status != 200:
                self.stats.error(f"{kind} HTTP {resp.status}")
            elif kind == "ask" and b'"intent"' not in data:
                self.stats.error("ask: not an answer")
            else:
                self.stats.add(kind, elapsed)
            if resp.will_close:
                conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException) as exc:
            self.stats.error(f"{kind} {type(exc).__name__}")
            if self.conn is not None:
                self.conn.close()
            self.conn = None


class Budget:
    """At most `requests` requests and `seconds` seconds, shared by the workers."""

    def __init__(self, requests: int, seconds: float) -> None:
        self.left = requests
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.deadline:
                return False
            self.left -= 1
            return True


def load(url: str, requests: int, seconds: float, concurrency: int, warmup: int,
         healthz_share: float = HEALTHZ_SHARE) -> tuple[Stats, float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if warmup:
        warm = Stats()
        workers = [Worker(i, host, port, Budget(warmup // concurrency + 1, 60), warm, 1000 + i, healthz_share) for i in range(concurrency)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    stats = Stats()
    budget = Budget(requests, seconds)
    workers = [Worker(i, host, port, budget, stats, i, healthz_share) for i in range(concurrency)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return stats, time.perf_counter() - started


def report(stats: Stats, elapsed: float, url: str) -> dict[str, object]:
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(stats.errors.values())
    out: dict[str, object] = {
        "url": url, "seconds": round(elapsed, 2), "requests": total + errors, "ok": total, "errors": errors,
        "rps": round((total + errors) / elapsed, 1) if elapsed else 0.0, "error_kinds": stats.errors,
    }
    everything = [x for v in stats.latencies.values() for x in v]
    for kind, values in (*stats.latencies.items(), ("all", everything)):
        out[kind] = {"n": len(values), "p50_ms": round(percentile(values, 50), 2), "p90_ms": round(percentile(values, 90), 2),
                     "p99_ms": round(percentile(values, 99), 2), "max_ms": round(max(values), 2) if values else None}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="an already running server (default: start one)")
    p.add_argument("--requests", type=int, default=6000, help="stop after this many requests (default 6000)")
    p.add_argument("--seconds", type=float, default=30.0, help="stop after this many seconds (default 30)")
    p.add_argument("--concurrency", type=int, default=16, help="client connections (default 16)")
    p.add_argument("--warmup", type=int, default=300, help="requests before measuring (default 300)")
    p.add_argument("--healthz-share", type=float, default=HEALTHZ_SHARE, help="share of GET /healthz (default 0.25)")
    p.add_argument("--server-threads", type=int, default=8, help="waitress threads of the started server")
    p.add_argument("--no-cache", action="store_true", help="started server: turn the answer cache off (every ask runs the engine)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.serve:
        run_server(0, args.db, args.server_threads, not args.no_cache)
        return 0

    proc = tmp = None
    url = args.url
    if not url:
        proc, url, tmp = start_server(args.server_threads, not args.no_cache)
    try:
        stats, elapsed = load(url, args.requests, args.seconds, args.concurrency, args.warmup, args.healthz_share)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if tmp is not None:
            tmp.cleanup()
    result = report(stats, elapsed, url)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['requests']} requests in {result['seconds']} s against {url} "
              f"({args.concurrency} connections, cpus={os.cpu_count()})")
        print(f"  throughput: {result['rps']} req/s   errors: {result['errors']} {result['error_kinds'] or ''}")
        for kind in ("ask", "healthz", "all"):
            r = result[kind]
            assert isinstance(r, dict)
            print(f"  {kind:8s} n={r['n']:<6} p50={r['p50_ms']} ms  p90={r['p90_ms']} ms  p99={r['p99_ms']} ms  max={r['max_ms']} ms")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
