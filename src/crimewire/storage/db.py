"""Opening the SQLite database: connection settings, migrations, transactions."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import quote

from crimewire.errors import StorageError
from crimewire.storage.migrations import LATEST_VERSION, applied_versions, apply_migrations

# How long a writer waits for another writer's lock before giving up. Ingest holds a write
# transaction for one article (milliseconds), so 10 s only runs out when something is stuck.
_BUSY_TIMEOUT_MS = 10_000


class QueryError(StorageError):
    """A query was given a filter value it cannot use (unknown type, bad date, bad order)."""


class Closing:
    """A context manager that calls ``close()`` at the end of its ``with`` block."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release what it holds."""
        raise NotImplementedError


class Database(Closing):
    """An open crimewire database: owns one ``sqlite3.Connection``. Use it as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly

    def __repr__(self) -> str:
        mode = "read-only" if self.readonly else "read-write"
        return f"<Database {self.path} ({mode})>"

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self.conn.close()

    @property
    def schema_version(self) -> int:
        """The highest migration applied to this database."""
        versions = applied_versions(self.conn)
        return versions[-1] if versions else 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so two writers queue instead of
        failing halfway with "database is locked".
        """
        if self.readonly:
            raise StorageError(f"{self.path}: database is open read-only")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StorageError(f"{self.path}: cannot start a write: {exc}") from exc
        try:
            yield self.conn
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StorageError(f"{self.path}: cannot commit: {exc}") from exc

    def _rollback(self) -> None:
        # SQLite rolls back by itself after some errors (disk full, I/O): only roll back
        # what is still open.
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def open_database(
    path: str | Path,
    *,
    readonly: bool = False,
    check_same_thread: bool = True,
) -> Database:
    """Open (and, unless read-only, create and migrate) the crimewire database at ``path``.

    ``readonly=True`` opens with a ``mode=ro`` URI: nothing is created or written, a missing
    file or an un-migrated database raises ``StorageError``. ``check_same_thread=False`` lets
    a web server's worker threads share one read-only connection.
    """
    name = str(path)
    memory = name == ":memory:"
    if readonly:
        if memory or not Path(name).is_file():
            raise StorageError(
                f"no database at {name}: create one with `crimewire ingest ARTICLES --db {name}`"
            )
        uri = f"file:{quote(str(Path(name).resolve()))}?mode=ro"
    elif not memory and not Path(name).resolve().parent.is_dir():
        raise StorageError(f"cannot create database {name}: directory {Path(name).parent} does not exist")
    try:
        if readonly:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=check_same_thread)
        else:
            conn = sqlite3.connect(name, isolation_level=None, check_same_thread=check_same_thread)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open database {name}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        _configure(conn, name, readonly=readonly, memory=memory)
    except BaseException:
        conn.close()
        raise
    return Database(conn, name, readonly=readonly)


def _configure(conn: sqlite3.Connection, name: str, *, readonly: bool, memory: bool) -> None:
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        versions = applied_versions(conn)  # also the first read: fails on a non-database file
        if versions and versions[-1] > LATEST_VERSION:
            raise StorageError(
                f"{name}: schema version {versions[-1]} is newer than this crimewire knows "
                f"({LATEST_VERSION}); upgrade crimewire"
            )
        if readonly:
            if not versions or versions[-1] < LATEST_VERSION:
                have = versions[-1] if versions else 0
                raise StorageError(
                    f"{name}: not a migrated crimewire database (schema version {have}, need "
                    f"{LATEST_VERSION}); open it writable once, e.g. with `crimewire ingest`"
                )
            return
        if not memory:
            # WAL: readers (the web app) never block the writer (ingest), and vice versa.
            conn.execute("PRAGMA journal_mode = WAL")
        apply_migrations(conn)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{name}: not a usable SQLite database: {exc}") from exc


# Letters and digits; everything else (spaces, hyphens, quotes, dots) separates words.
_WORD = re.compile(r"[^\W_]+")


def name_key(name: str) -> str:
    """A name folded for matching: its words without accents, case-folded, one space apart.

    "Cártel  de Sinaloa" and "cartel de sinaloa" get the same key, and so do "MS-13" and
    "MS 13", or a name and the same name in quotation marks (same folding as ``kb.name_key``).
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(m.group().casefold() for m in _WORD.finditer(stripped))
