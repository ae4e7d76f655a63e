"""Helpers of the backup tests: scratch databases on a server, a database's contents as
checksums, a folder's files as checksums, and bin/backup, bin/restore."""

import hashlib
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from tests.reliability.servers import ROOT


def on_server(base_url: str, db: str) -> str:
    """The URL of database `db` on the server of `base_url`."""
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def admin(base_url: str, statement: str, name: str) -> None:
    """CREATE or DROP DATABASE {name} on the server of `base_url`."""
    with psycopg.connect(on_server(base_url, "postgres"), autocommit=True) as db:
        db.execute(sql.SQL(statement).format(sql.Identifier(name)))


def contents(url: str) -> tuple[dict[str, tuple[int, str]], dict[str, int]]:
    """Every table's row count and the md5 of its rows in a fixed order; every sequence's value."""
    tables, sequences = {}, {}
    with psycopg.connect(url) as db:
        names = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        for name in sorted(names):
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
            ).format(sql.Identifier(name))
            tables[name] = tuple(db.execute(query).fetchone())
        seqs = [r[0] for r in db.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")]
        for name in seqs:
            sequences[name] = db.execute(
                sql.SQL("SELECT last_value FROM {}").format(sql.Identifier(name))
            ).fetchone()[0]
    return tables, sequences


def files(root: Path) -> dict[str, str]:
    """Every file under `root`, by relative path, with its SHA-256."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def script(name: str, env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """bin/backup or bin/restore."""
    done = subprocess.run(
        [str(ROOT / "bin" / name), *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert done.returncode == 0, f"bin/{name}: {done.stdout}{done.stderr}"
    return done
