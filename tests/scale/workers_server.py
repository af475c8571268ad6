"""A real `python -m bot serve --workers N` in a subprocess (own session, free port, own index folder),
and which worker process answered a request, read off /proc.

Used by tests/scale/test_workers.py. The server's own process group is ended when the block exits
(SIGTERM, then SIGKILL after a grace period), so no test leaves a server behind.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]
START_SECONDS = 240  # building the index in the master, then N workers opening it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_of(client_port: int, server_port: int, pids: list[int]) -> int | None:
    """The pid among `pids` holding the server side of the connection from `client_port`."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        local, remote = parts[1], parts[2]
        if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == client_port:
            inode = parts[9]
            break
    if inode is None:
        return None
    wanted = f"socket:[{inode}]"
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                    return pid
            except OSError:
                continue
    return None


class WorkersServer:
    def __init__(self, folder: Path, database: str, workers: int, rate_limit: int) -> None:
        self.database = database
        self.workers = workers
        self.port = free_port()
        self.env = {**os.environ, "ZWGK_KNOWLEDGE__INDEX_PATH": str(folder / "index"),
                    "ZWGK_WEB__DATABASE": database, "ZWGK_WEB__RATE_LIMIT": str(rate_limit),
                    "ZWGK_WEB__TRUSTED_PROXIES": "1", "ZWGK_WEB__THREADS": "4", "PYTHONUNBUFFERED": "1"}
        self.log = folder / "server.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> WorkersServer:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--workers", str(self.workers), "--host", "127.0.0.1",
                 "--port", str(self.port)], cwd=PROJECT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited:\n" + self.log.read_text(errors="replace")[-2000:])
            try:
                if self.get("/healthz")[0] == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise AssertionError("server did not start:\n" + self.log.read_text(errors="replace")[-2000:])

    def __exit__(self, *exc: object) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        try:
            return sorted(int(p) for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split())
        except OSError:
            return []

    def get(self, path: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.read().decode()
        finally:
            conn.close()

    def ask(self, question: str, *, session: str | None = None, client: str | None = None,
            conn: http.client.HTTPConnection | None = None) -> tuple[int, Any, int | None]:
        """POST /api/ask; (status, reply JSON, pid of the worker that answered — on a new connection)."""
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        body: dict[str, Any] = {"question": question}
        if session:
            body["session"] = session
        headers = {"Content-Type": "application/json"}
        if client:
            headers["X-Forwarded-For"] = client
        try:
            conn.request("POST", "/api/ask", json.dumps(body, ensure_ascii=False).encode(), headers)
            resp = conn.getresponse()
            status, data = resp.status, resp.read()
            pid = worker_of(conn.sock.getsockname()[1], self.port, self.worker_pids()) if own and conn.sock else None
            return status, json.loads(data), pid
        finally:
            if own:
                conn.close()

    def logged_rows(self) -> int:
        import psycopg

        with psycopg.connect(self.database) as db:
            return int(db.execute("SELECT count(*) FROM questions").fetchone()[0])

    def settled_rows(self, quiet: float = 0.5, limit: float = 30.0) -> int:
        """`logged_rows` once it stops changing: each worker writes its question log in batches, up to
        LINGER_SECONDS after the answers (bot/storage/writer.py), so rows of the requests just made
        may still be arriving."""
        rows = self.logged_rows()
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = self.logged_rows()
            if now == rows:
                break
            rows = now
        return rows
