"""`python -m bot admin-user add|list|disable|reset-token`: the office's people from the command line.

Only parses and prints; the people live in the project database (bot/office/people.py), the same one
`serve` uses, so a person added here can sign in to /admin at once, on every worker.
"""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from indexer.settings import ConfigError, load_settings

if TYPE_CHECKING:
    from bot.office.people import People

ROLE_CHOICE = click.Choice(["editor", "reviewer", "admin"])


def _people(config: str | None) -> People:
    from bot.office.people import People
    from bot.storage import database_for

    try:
        return People(database_for(load_settings(config)))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _print(as_json: bool, data: dict, line: str) -> None:
    click.echo(json.dumps(data, ensure_ascii=False) if as_json else line)


@click.group("admin-user")
def people_group() -> None:
    """People who sign in to /admin: editor (uploads, submits), reviewer (publishes), admin (manages people)."""


@people_group.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--json", "as_json", is_flag=True, help='Print {"name", "role", "token"}.')
@click.pass_obj
def add(config: str | None, name: str, role: str, password_stdin: bool, as_json: bool) -> None:
    """Add a person; prints their API token (Bearer) once: it is stored only hashed."""
    from bot.office.people import PeopleError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        person, token = _people(config).add(name, role, password)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from None
    _print(as_json, {"name": person.name, "role": person.role, "token": token},
           f"added {person.name} ({person.role}); API token (shown once): {token}")


@people_group.command("list")
@click.option("--json", "as_json", is_flag=True, help='Print {"people": [{"name", "role", "disabled", "created"}]}.')
@click.pass_obj
def list_people(config: str | None, as_json: bool) -> None:
    """Every person with role and state."""
    people = _people(config).all()
    if as_json:
        click.echo(json.dumps({"people": [p.public() for p in people]}, ensure_ascii=False))
        return
    for p in people:
        click.echo(f"{p.name}\t{p.role}\t{'disabled' if p.disabled else 'active'}\t{p.created}")


@people_group.command("disable")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def disable(config: str | None, name: str, as_json: bool) -> None:
    """Stop a person signing in or using their token (their sessions end at the next request)."""
    from bot.office.people import PeopleError

    try:
        person = _people(config).disable(name)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from None
    _print(as_json, person.public(), f"disabled {person.name}")


@people_group.command("reset-token")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help='Print {"name", "role", "token"}.')
@click.pass_obj
def reset_token(config: str | None, name: str, as_json: bool) -> None:
    """Give a person a new API token; the old one stops working."""
    from bot.office.people import PeopleError

    try:
        person, token = _people(config).reset_token(name)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from None
    _print(as_json, {"name": person.name, "role": person.role, "token": token},
           f"new API token for {person.name} (shown once): {token}")
