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
from indexer.settings import ConfigError, Settings, load_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config", type=click.Path(path_type=Path), default=None,
              help="Settings file (default: ZWGK_CONFIG, else config.toml); [knowledge] plans_dir and index_path.")
@click.pass_context
def cli(ctx: click.Context, config: Path | None) -> None:
    """Turn 政务公开工作要点 plans (txt, md, html, docx, doc, xlsx, xls, pdf incl. scans; UTF-8, GBK or UTF-16)
    into clause-level entries.

    \b
    parse FILE...      show how a document is understood (outline, or --json) and its warnings
    build              parse the plans folder into the knowledge store (knowledge.json beside the index)
    stats              per document: entries, task rows, units by source, deadlines, warnings
    The plans folder and index path come from config.toml / ZWGK_KNOWLEDGE__PLANS_DIR / __INDEX_PATH.
    --strict (parse, build) exits 1 when any document has a warning.
    """
    ctx.obj = config


def _settings(ctx: click.Context) -> Settings:
    """The settings in force (the same loader and file as the bot's); a bad file is one line, not a traceback."""
    try:
        return load_settings(ctx.obj)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _parse_one(path: str) -> Document | str:
    from indexer import parse_file
    from indexer.store import readable_name

    bad_name = readable_name(Path(path))
    if bad_name:
        return bad_name
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
        *(f"   warning: {w}" for w in doc.warnings),
    ]
    section = None
    for e in doc.entries:
        if e.section != section:
            section = e.section
            out.append(f"  [{section or '—'}]")
        text = e.text if len(e.text) <= 60 else e.text[:58] + "…"
        out.append(f"    {e.kind:6} {e.number:12} {text}")
        if e.responsible or e.deadline:
            roles = f"   牵头: {'、'.join(e.lead)}   配合: {'、'.join(e.support)}" if e.support else ""
            source = f"   [{e.unit_source}]" if e.unit_source else ""
            out.append(f"{'':24}责任单位: {'、'.join(e.responsible) or '—'}   时限: {e.deadline or '—'}{roles}{source}")
    return "\n".join(out)


def _shown(path: str) -> str:
    from indexer.store import display_name

    p = Path(path)
    return str(p.with_name(display_name(p))) if p.name else path


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file per line (the review contract).")
@click.option("--strict", is_flag=True, help="Exit 1 when any document has a warning.")
def parse(files: tuple[str, ...], as_json: bool, strict: bool) -> None:
    """Parse FILES and print what was understood, warnings included; exit code 1 when any file could not be
    read (or, with --strict, has a warning)."""
    from indexer.checks import duplicates

    failed = False
    docs: list[Document] = []
    errors: dict[str, str] = {}
    for f in files:
        got = _parse_one(f)
        if isinstance(got, str):
            errors[f] = got
            continue
        got.file = f
        docs.append(got)
    for kept, dup in duplicates(docs):
        docs[dup].warnings.append(f"same plan as {docs[kept].file}: only one of them should be added")
    parsed = {d.file: d for d in docs}
    for f in files:
        if f in errors:
            failed = True
            if as_json:
                click.echo(json.dumps({"file": _shown(f), "error": errors[f]}, ensure_ascii=False))
            else:
                click.echo(f"error: {_shown(f)}: {errors[f]}", err=True)
            continue
        doc = parsed[f]
        click.echo(json.dumps(doc.to_json(), ensure_ascii=False) if as_json else _outline(doc))
        if as_json:
            for w in doc.warnings:
                click.echo(f"warning: {Path(f).name}: {w}", err=True)
    if failed or strict and any(d.warnings for d in docs):
        sys.exit(1)


@cli.command()
@click.option("--plans", type=click.Path(path_type=Path), default=None,
              help="Folder of plan documents [default: knowledge.plans_dir].")
@click.option("--cache", type=click.Path(path_type=Path), default=None,
              help="Knowledge store file to write [default: knowledge.json beside knowledge.index_path].")
@click.option("--strict", is_flag=True, help="Exit 1 when any document has a warning or a file was skipped.")
@click.pass_context
def build(ctx: click.Context, plans: Path | None, cache: Path | None, strict: bool) -> None:
    """Parse every plan in the plans folder into the knowledge store, reporting counts, warnings and skipped
    files."""
    from indexer.store import load_knowledge

    settings = _settings(ctx)
    plans = plans or settings.path("knowledge.plans_dir")
    cache = cache or settings.path("knowledge.index_path").parent / "knowledge.json"
    started = time.perf_counter()
    try:
        cache.unlink(missing_ok=True)
        kb, _ = load_knowledge(plans, cache, parsed_dir=settings.path("knowledge.parsed_dir"))
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None
    took = time.perf_counter() - started
    for d in kb.documents:
        click.echo(f"  {Path(d.file).name}: {len(d.entries)} entries")
        for w in d.warnings:
            click.echo(f"    warning: {w}")
    for name, reason in kb.skipped:
        click.echo(f"  skipped {name}: {reason}", err=True)
    warned = sum(len(d.warnings) for d in kb.documents)
    click.echo(f"{len(kb.documents)} documents, {len(kb.entries)} entries, {len(kb.skipped)} skipped "
               f"in {took:.2f} s -> {cache}" + (f"; {warned} warnings" if warned else ""))
    if strict and (kb.skipped or any(d.warnings for d in kb.documents)):
        sys.exit(1)


@cli.command()
@click.option("--plans", type=click.Path(path_type=Path), default=None,
              help="Folder of plan documents [default: knowledge.plans_dir].")
@click.pass_context
def stats(ctx: click.Context, plans: Path | None) -> None:
    """Per document: entries, clauses, task rows, entries with units (from any source), entries with
    deadlines, then entries by where their units were read (table, 责任单位 note, sentence) and warnings."""
    from indexer.store import build_knowledge

    try:
        kb = build_knowledge(plans or _settings(ctx).path("knowledge.plans_dir"))
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{_pad('document', 44)} {'entries':>7} {'clauses':>7} {'rows':>5} {'units':>6} {'dated':>6} "
               f"{'table':>6} {'note':>5} {'sentence':>8} {'warnings':>8}")
    for d in kb.documents:
        by = [e.unit_source for e in d.entries if e.responsible]
        click.echo(f"{_pad(Path(d.file).name, 44)} {len(d.entries):>7} "
                   f"{sum(1 for e in d.entries if e.kind == 'clause'):>7} "
                   f"{sum(1 for e in d.entries if e.kind == 'task'):>5} {len(by):>6} "
                   f"{sum(1 for e in d.entries if e.deadline):>6} {by.count('table'):>6} {by.count('annotation'):>5} "
                   f"{by.count('sentence'):>8} {len(d.warnings):>8}")
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
