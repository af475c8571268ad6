"""HTML source -> a tolerant element tree, with the end tags that sloppy government pages leave implied.

Only the shape of the page: html.py decides what of it is text, chrome, or a table.
"""
from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

# Elements that never have content or an end tag: they are never pushed on the open-element stack.
_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
# Start tags that end an open <p> (HTML's "p end tag may be omitted" rule).
_CLOSES_P = frozenset(
    """address article aside blockquote center details dialog dir div dl dd dt fieldset figcaption figure footer
    form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table ul""".split()
)
# What may stay inside <head>; any other start tag means the body has begun.
_HEAD_CONTENT = frozenset("base link meta noscript script style template title".split())
# A new row group closes the open one.
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot"})
_MAX_DEPTH = 256  # unclosed inline tags in a sloppy page must not nest deep enough to exhaust recursion


class Node:
    """An element of the tolerant HTML tree: children are Node or text."""

    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []

    def elements(self) -> Iterator[Node]:
        return (c for c in self.children if isinstance(c, Node))


class _TreeBuilder(HTMLParser):
    """html.parser only tokenises; this adds the implied end tags real government pages rely on
    (unclosed <p>, <li>, <td>, <tr>) so tables and paragraphs come out with the right shape."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack: list[Node] = [self.root]

    def _close(self, targets: set[str] | frozenset[str], boundaries: set[str] | frozenset[str]) -> bool:
        """Pop up to and including the nearest open element in `targets`, unless a boundary comes first."""
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in targets:
                del self.stack[i:]
                return True
            if tag in boundaries:
                return False
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HEAD_CONTENT and any(node.tag == "head" for node in self.stack):
            self._close({"head"}, set())  # an unclosed <head> ends where body content starts
        if tag in _CLOSES_P:
            self._close({"p"}, {"table", "td", "th", "caption", "button"})
        if tag == "li":
            self._close({"li"}, {"ul", "ol", "table", "td", "th"})
        elif tag in ("dt", "dd"):
            self._close({"dt", "dd"}, {"dl", "table", "td", "th"})
        elif tag == "tr":
            self._close({"tr"}, {"table"})
        elif tag in ("td", "th"):
            self._close({"td", "th"}, {"tr", "table"})
        elif tag in _TABLE_PARTS:
            self._close(_TABLE_PARTS, {"table"})
        elif tag == "option":
            self._close({"option"}, {"select"})
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # browsers ignore the slash of <div/>: it opens the element

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # </br> is a line break in every browser
            self.stack[-1].children.append(Node("br", {}))
        elif tag in ("body", "html"):
            return  # text after </body> is still shown
        elif tag == "p" and not self._close({"p"}, {"table", "td", "th", "caption", "button"}):
            self.stack[-1].children.append(Node("p", {}))  # a stray </p> is an empty paragraph: a line break
        elif tag == "table":
            self._close({"table"}, set())
        elif tag in ("td", "th", "tr", "caption") or tag in _TABLE_PARTS:
            self._close({tag}, {"table"})
        else:
            self._close({tag}, {"table", "td", "th", "caption"})

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag == "head" and data.strip():
            self._close({"head"}, set())  # text cannot live in <head>: the body has begun
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    """The whole document as one tree under a "#root" node (not just <body>: browsers show stray text around
    it too); <head> stays in the tree for the renderer to drop."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
