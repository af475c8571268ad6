"""A REAL `python -m bot serve` in a subprocess on a free port, with its own database and index path.

The fault tests (tests/faults/) start these, load them from client threads, signal or kill them, and
read the database afterwards. `Load` is the client side: threads asking questions and counting the
answers they received (status 200), which is what the question log must hold.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]
QUESTIONS = ("槐荫区养老补贴信息公开归哪个部门管？", "政府信息公开年度报告什么时候发布？", "依申请公开要多久答复？",
             "历下区2023年政务公开工作要点有哪些任务？", "就业补贴信息公开谁负责？", "火星上有政务公开吗？")
READY = re.compile(r"open http://127\.0\.0\.1:(\d+)/")


class Server:
    """`python -m bot serve --port 0`; `start()` waits for the "is running" line and reads the port."""

    def __init__(self, database: Path | str, index_path: Path | None, *, env: dict[str, str] | None = None,
                 ignore_sigint: bool = False, config: Path | None = None, args: tuple[str, ...] = ()) -> None:
        self.database = database
        self.env = {**os.environ, "ZWGK_WEB__DATABASE": str(database), "ZWGK_WEB__RATE_LIMIT": "0",
                    "PYTHONUNBUFFERED": "1", **(env or {})}
        if index_path is not None:  # None: the configured default (knowledge.index_path)
            self.env["ZWGK_KNOWLEDGE__INDEX_PATH"] = str(index_path)
        if config is not None:
            self.env["ZWGK_CONFIG"] = str(config)
        self.ignore_sigint = ignore_sigint
        self.args = args  # e.g. ("--workers", "2")
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.output: list[str] = []

    def start(self, timeout: float = 90.0) -> Server:
        # A server started from a non-interactive shell inherits SIGINT ignored: simulate that.
        pre = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if self.ignore_sigint else None
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", "0", *self.args], cwd=PROJECT,
                                     env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     preexec_fn=pre, start_new_session=True)  # noqa: PLW1509 - only resets one signal
        ready = threading.Event()
        threading.Thread(target=self._read, args=(ready,), daemon=True).start()
        if not ready.wait(timeout) or not self.port:
            self.kill()
            raise AssertionError("server did not start:\n" + self.log)
        return self

    def _read(self, ready: threading.Event) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            m = READY.search(line)
            if m:
                self.port = int(m.group(1))
                ready.set()
        ready.set()

    @property
    def log(self) -> str:
        return "".join(self.output)

    def request(self, method: str, path: str, body: bytes | dict[str, Any] | None = None,
                timeout: float = 30.0, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """One request on a fresh connection: (status, decoded JSON body or text); `headers` are added
        to the JSON content type a body gets by default."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = json.dumps(body, ensure_ascii=False).encode() if isinstance(body, dict) else body
            sent = {"Content-Type": "application/json"} if data is not None else {}
            sent.update(headers or {})
            conn.request(method, path, body=data, headers=sent)
            resp = conn.getresponse()
            raw = resp.read()
            try:
                return resp.status, json.loads(raw)
            except ValueError:
                return resp.status, raw.decode("utf-8", "replace")
        finally:
            conn.close()

    def ask(self, question: str, **extra: Any) -> tuple[int, Any]:
        return self.request("POST", "/api/ask", {"question": question, **extra})

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def wait(self, timeout: float = 60.0) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: gunicorn's workers too (--workers)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait(10)


class Load:
    """`threads` clients asking questions in a loop until `stop()`; `answered` counts 200 replies."""

    def __init__(self, server: Server, threads: int = 6) -> None:
        self.server = server
        self.answered = 0
        self.failed = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def _run(self, n: int) -> None:
        i = 0
        while not self._stop.is_set():
            i += 1
            question = f"{QUESTIONS[(n + i) % len(QUESTIONS)]} #{n}-{i}"  # distinct text: no cache hits
            try:
                status, _ = self.server.ask(question)
            except (OSError, http.client.HTTPException):
                status = 0
                time.sleep(0.01)
            with self._lock:
                if status == 200:
                    self.answered += 1
                else:
                    self.failed += 1

    def start(self) -> Load:
        for t in self._threads:
            t.start()
        return self

    def wait_for(self, answered: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.answered < answered and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(60)


def until(check: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
