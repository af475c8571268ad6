"""bot/office/records.py and db_store.py: the office's records as files (SQLite) or in PostgreSQL.

Two `OfficeDb`s on one database stand for two hosts: read-modify-writes under `DbLock` from both never
lose each other's change, and every change of the catalog bumps the state other hosts poll."""
from __future__ import annotations

import threading
from pathlib import Path

from bot.office.db_store import CATALOG, OfficeDb
from bot.office.records import DbRecords, FileRecords, records_for
from bot.storage import open_database
from indexer.settings import load_settings


def test_sqlite_keeps_the_files_postgresql_the_database(tmp_path: Path, postgres_server) -> None:
    base = load_settings(environ={}).replace(office__dir=str(tmp_path / "office"))
    on_files = records_for(base.replace(web__database=str(tmp_path / "web.sqlite3")))
    assert isinstance(on_files, FileRecords) and on_files.catalog.record_path == tmp_path / "office" / "plans.json"
    on_db = records_for(base.replace(web__database=postgres_server.new_database()))
    assert isinstance(on_db, DbRecords)
    before = on_db.state()
    on_db.catalog.set_status(on_db.catalog.shipped()[0].id, "draft")
    assert on_db.state() != before and on_db.catalog.shipped()[0].status == "draft"
    assert not (tmp_path / "office" / "plans.json").exists()


def test_two_hosts_never_lose_each_others_changes(postgres_server) -> None:
    url = postgres_server.new_database()
    hosts = [OfficeDb(open_database(url)) for _ in range(2)]
    rounds = 15

    def count(store: OfficeDb) -> None:
        for _ in range(rounds):
            with store.catalog_lock, store.catalog_lock:  # re-entrant in the holding thread
                body, _ = store.read(CATALOG)
                body = body or {"n": 0}
                body["n"] += 1
                store.write(CATALOG, body)

    threads = [threading.Thread(target=count, args=(h,)) for h in hosts for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    body, version = hosts[1].read(CATALOG)
    assert body["n"] == version == 4 * rounds
    assert hosts[0].state() == 4 * rounds
    for h in hosts:
        h.db.close()

