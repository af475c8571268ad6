"""Web-page chrome in plain text: the words of a government site's page frame, removed before parsing.

A plan copied from a web page (or saved as text by a crawler) carries the site around it: the breadcrumb
("当前位置：首页 > 政务公开 > …"), share buttons ("微信 微博 QQ空间"), print/close links, download lists
("附件下载", "….pdf"), publishing data ("发布时间：… 来源：… 浏览次数：…"). None of it is plan text. The HTML
reader drops chrome by page structure (indexer/read/html.py); this step catches it in text, on its own line
or inside a line that holds the whole page. Called by indexer/entries.py before tables are recovered;
what was removed is reported as a warning (indexer/checks.py).
"""
from __future__ import annotations

import re

_SEP = r"[>＞»›/]"
# Each pattern is a piece of chrome, as specific as it can be: plan text never reads like this.
_CHROME = [
    re.compile(rf"当前位置\s*[：:]\s*(?:[^\s>＞»›/，。；]{{1,16}}\s*{_SEP}\s*)+(?:[^\s>＞»›/，。；]{{1,12}}(?=\s|$))?"),
    re.compile(r"当前位置\s*[：:]\s*首页"),
    re.compile(r"(?:分享到\s*[：:]?\s*)?微信\s*微博\s*(?:QQ空间|QQ好友|人人网|豆瓣)(?:\s*(?:QQ好友|微信好友|人人网|豆瓣|更多))*"),
    re.compile(r"分享到\s*[：:]"),
    re.compile(r"[【\[]\s*(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|纠错)\s*[】\]]"),
    re.compile(r"扫一扫在手机(?:上)?打开当前页"),
    re.compile(r"附件下载\s*[：:]?"),
    re.compile(r"相关附件\s*[：:]"),
    re.compile(r"(?:[\w\u4e00-\u9fff（）()〔〕\-—]{1,40})\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar)\b", re.I),
    re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|印发日期)\s*[：:]\s*\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?"
               r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(?:^|(?<=\s))(?:信息)?来源\s*[：:]\s*[\u4e00-\u9fff]{2,30}(?=\s|$)"),
    re.compile(r"(?:浏览|访问|点击)(?:次数|量)\s*[：:]\s*\d*"),
    re.compile(r"[【\[]?\s*字[体号]\s*[：:]\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?\s*[】\]]?"),
    re.compile(r"(?:上|下)一篇\s*[：:]\s*[^\s]{0,60}"),
]


def strip_chrome(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines without page chrome (lines left with nothing are dropped), and the chrome removed."""
    out: list[str] = []
    removed: list[str] = []
    for line in lines:
        if "\t" in line:
            out.append(line)
            continue
        kept = line
        for pattern in _CHROME:
            kept, found = _cut(pattern, kept)
            removed.extend(found)
        if kept == line:
            out.append(line)
        elif kept.strip():
            out.append(kept.strip())
    return out, removed


def _cut(pattern: re.Pattern[str], line: str) -> tuple[str, list[str]]:
    found = [m.group(0).strip() for m in pattern.finditer(line) if m.group(0).strip()]
    if not found:
        return line, []
    return pattern.sub(" ", line), found
