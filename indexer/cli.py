"""`python -m indexer`: check how plans are understood and build the knowledge store.

The click group's docstring is the manual (`python -m indexer --help`). Commands only parse arguments
and print; the work is in indexer.parse_file and indexer.store.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from indexer.model import Document, DocumentError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PLANS = ROOT / "knowledge" / "plans"
DEFAULT_CACHE = ROOT / "var" / "knowledge.json"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Turn 政务公开工作要点 plans (txt, md, html, docx, pdf; UTF-8, GBK or UTF-16) into clause-level entries.

    \b
    parse FILE...      show how a document is understood (outline, or --json)
    build              parse knowledge/plans into the knowledge store (var/knowledge.json)
    stats              per document: entries, task rows, rows with units and deadlines
    """


def _parse_one(path: str) -> Document | str:
    from indexer import parse_file

    try:
        return parse_file(path)
    except DocumentError as exc:
        return str(exc)
    except Exception as exc:  # a parser bug must not stop the other files
        return f"could not be parsed ({type(exc).__name__}: {exc})"


def _outline(doc: Document) -> str:
    out = [
        f"== {doc.file}",
        f"   title: {doc.title}   region: {doc.region}   year: {doc.year}",
        f"   文号: {doc.doc_number}   issuer: {doc.issuer}   date: {doc.date}",
    ]
    section = None
    for e in doc.entries:
        if e.section != section:
            section = e.section
            out.append(f"  [{section or '—'}]")
        text = e.text if len(e.text) <= 60 else e.text[:58] + "…"
        out.append(f"    {e.kind:6} {e.number:12} {text}")
        if e.responsible or e.deadline:
            out.append(f"{'':24}责任单位: {'、'.join(e.responsible) or '—'}   时限: {e.deadline or '—'}")
    return "\n".join(out)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file per line (the review contract).")
def parse(files: tuple[str, ...], as_json: bool) -> None:
    """Parse FILES and print what was understood; exit code 1 when any file could not be read."""
    failed = False
    for f in files:
        got = _parse_one(f)
        if isinstance(got, str):
            failed = True
            if as_json:
                click.echo(json.dumps({"file": f, "error": got}, ensure_ascii=False))
            else:
                click.echo(f"error: {f}: {got}", err=True)
            continue
        got.file = f
        click.echo(json.dumps(got.to_json(), ensure_ascii=False) if as_json else _outline(got))
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--plans", type=click.Path(path_type=Path), default=DEFAULT_PLANS, show_default=True,
              help="Folder of plan documents.")
@click.option("--cache", type=click.Path(path_type=Path), default=DEFAULT_CACHE, show_default=True,
              help="Knowledge store file to write.")
def build(plans: Path, cache: Path) -> None:
    """Parse every plan in --plans into the knowledge store, reporting counts and skipped files."""
    from indexer.store import load_knowledge

    started = time.perf_counter()
    try:
        cache.unlink(missing_ok=True)
        kb, _ = load_knowledge(plans, cache)
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None
    took = time.perf_counter() - started
    for d in kb.documents:
        click.echo(f"  {Path(d.file).name}: {len(d.entries)} entries")
    for name, reason in kb.skipped:
        click.echo(f"  skipped {name}: {reason}", err=True)
    click.echo(f"{len(kb.documents)} documents, {len(kb.entries)} entries, {len(kb.skipped)} skipped "
               f"in {took:.2f} s -> {cache}")


@cli.command()
@click.option("--plans", type=click.Path(path_type=Path), default=DEFAULT_PLANS, show_default=True,
              help="Folder of plan documents.")
def stats(plans: Path) -> None:
    """Per document: entries, clauses, task rows, rows with units, rows with deadlines."""
    from indexer.store import build_knowledge

    try:
        kb = build_knowledge(plans)
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{_pad('document', 44)} {'entries':>7} {'clauses':>7} {'rows':>5} {'units':>6} {'dated':>6}")
    for d in kb.documents:
        rows = [e for e in d.entries if e.kind == "task"]
        clauses = [e for e in d.entries if e.kind == "clause"]
        click.echo(f"{_pad(Path(d.file).name, 44)} {len(d.entries):>7} {len(clauses):>7} {len(rows):>5} "
                   f"{sum(1 for e in rows if e.responsible):>6} {sum(1 for e in rows if e.deadline):>6}")
    for name, reason in kb.skipped:
        click.echo(f"skipped {name}: {reason}")


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal column: CJK characters take two cells."""
    import unicodedata

    out, used = "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


def main() -> None:
    cli(prog_name="python -m indexer")
