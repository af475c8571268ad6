"""A small plan for the office tests, as text and as a Word file made with python-docx (no fixture files).

Its topic (低空经济, 无人机) appears in no shipped plan, so an answer citing it proves it was published.
"""
from __future__ import annotations

import io

from docx import Document

TITLE = "2025年天桥区政务公开工作要点"
SEED_TEXT = f"""{TITLE}
一、聚焦重点领域，深化信息公开
（一）加强低空经济信息公开。及时公开无人机飞行服务站建设、低空航线规划和低空经济产业扶持政策，每季度发布一次进展情况。（责任单位：区发展改革局）
（二）加强夜间经济信息公开。公开夜市街区名录和夜间经营管理规定，2025年6月底前完成。（责任单位：区商务局）
二、聚焦平台建设，畅通信息公开渠道
（一）优化政府网站。推进政府网站适老化和无障碍改造，2025年9月底前完成。（责任单位：区政府办公室）
"""
QUESTION = "天桥区低空经济信息公开由哪个部门负责？"


def seed_docx(text: str = SEED_TEXT) -> bytes:
    """The seed plan as a .docx: the first line a centred title, every other line a paragraph."""
    doc = Document()
    for i, line in enumerate(text.strip().splitlines()):
        p = doc.add_paragraph(line)
        if i == 0:
            p.alignment = 1
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
