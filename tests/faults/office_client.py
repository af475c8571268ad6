"""Client side of the office fault tests: an admin token, multipart uploads, the server's memory."""
from __future__ import annotations

import json
import secrets
import time
import uuid
from pathlib import Path
from typing import Any

from .server import Server

TOKEN = secrets.token_urlsafe(24)


def office_env(office_dir: Path, **extra: str) -> dict[str, str]:
    return {"ZWGK_WEB__ADMIN_TOKEN": TOKEN, "ZWGK_OFFICE__DIR": str(office_dir),
            "ZWGK_KNOWLEDGE__PARSED_DIR": str(office_dir.parent / "parsed"), **extra}


def call(server: Server, method: str, path: str, body: bytes | None = None,
         content_type: str = "application/json", timeout: float = 120.0) -> tuple[int, Any]:
    """An admin API request with the office's token."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if body is not None:
        headers["Content-Type"] = content_type
    return server.request(method, path, body, timeout=timeout, headers=headers)


def upload(server: Server, name: str, data: bytes, *, retry_busy: bool = False) -> tuple[int, Any]:
    """POST /admin/api/plans; with `retry_busy`, a 503 (another plan being read) is retried."""
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    while True:
        status, reply = call(server, "POST", "/admin/api/plans", body, f"multipart/form-data; boundary={boundary}")
        if status != 503 or not retry_busy:
            return status, reply
        time.sleep(0.05)


def answer(server: Server, n: int) -> int:
    body = json.dumps({"question": f"第{n}个问题怎么办理？", "answer": f"答复{n}"}, ensure_ascii=False).encode()
    return call(server, "POST", "/admin/api/answers", body)[0]


def rss_mb(pid: int) -> tuple[int, int]:
    """(current, peak) resident memory of a process in MB, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def plan_text(title: str = "2023年槐荫区政务公开工作要点") -> str:
    return (f"{title}\n一、总体要求\n（一）推进决策公开。区政府办公室负责，2023年6月底前完成。\n"
            "（二）做好政策解读。区民政局负责，全年持续推进。\n")
