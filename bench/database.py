"""Where bench data lives: a throwaway database per data scale, never the developer's.

With SQLite (the default) it is a file `bench-results/bench-s<schools>-y<years>.sqlite3`; when
DATABASE_URL is PostgreSQL, a database on the same server named after it with the suffix
`_bench_s<schools>_y<years>`. The data is generated once per scale and reused while the scale and
the generator's VERSION match (a marker row says so); migrations are applied on every use.

While a bench database is in use it *is* the default connection: a fresh connection object
replaces the current one, which is put back untouched afterwards (Django's test runner swaps
databases the same way, by settings; swapping the object also keeps an in-memory test database of
pytest alive).
"""

import copy
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

from bench import data

DEFAULT_DIR = Path(settings.BASE_DIR) / "bench-results"
META_TABLE = "vprplan_bench_meta"


@dataclass(frozen=True)
class Scale:
    schools: int
    years: int

    @property
    def key(self) -> str:
        return f"s{self.schools}-y{self.years}"

    def __str__(self) -> str:
        return f"{self.schools} schools × {self.years} year{'s' if self.years != 1 else ''}"


def settings_for(scale: Scale, directory: Path | None = None) -> dict:
    """The connection settings of the bench database of `scale`."""
    base = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    engine = base["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        directory = Path(directory or DEFAULT_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        base["NAME"] = str(directory / f"bench-{scale.key}.sqlite3")
        base["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    elif engine == "django.db.backends.postgresql":
        base["NAME"] = f"{base['NAME']}_bench_{scale.key.replace('-', '_')}"
        # A pool is per alias and process; the swapped-in connection must not share the app's.
        base["OPTIONS"].pop("pool", None)
    else:
        raise RuntimeError(f"The bench runs on SQLite or PostgreSQL, not {engine}.")
    base["CONN_MAX_AGE"] = 0
    return base


def describe(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return str(settings_dict["NAME"])
    return f"postgresql://{settings_dict.get('HOST') or 'localhost'}/{settings_dict['NAME']}"


def _ensure_exists(wrapper) -> None:
    if wrapper.vendor != "postgresql":
        return  # SQLite creates the file on connect
    with wrapper._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [wrapper.settings_dict["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {wrapper.ops.quote_name(wrapper.settings_dict['NAME'])}")


def _drop(settings_dict: dict) -> None:
    """Remove the bench database of these settings entirely."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(settings_dict["NAME"]) + suffix).unlink(missing_ok=True)
        return
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    with wrapper._nodb_cursor() as cursor:
        cursor.execute(
            f"DROP DATABASE IF EXISTS {wrapper.ops.quote_name(settings_dict['NAME'])} WITH (FORCE)"
        )


@contextmanager
def _swapped(settings_dict: dict) -> Iterator:
    """Make a new connection with these settings the default one for the duration."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    _ensure_exists(wrapper)
    previous = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = wrapper
    ContentType.objects.clear_cache()  # ids differ between databases
    try:
        yield wrapper
    finally:
        wrapper.close()
        connections[DEFAULT_DB_ALIAS] = previous
        ContentType.objects.clear_cache()


def _read_meta(wrapper) -> data.DataSet | None:
    with wrapper.cursor() as cursor:
        if META_TABLE not in wrapper.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE name = %s", ["dataset"])
        row = cursor.fetchone()
    try:
        return data.DataSet.from_json(row[0]) if row else None
    except (TypeError, ValueError, json.JSONDecodeError):
        return None


def _write_meta(wrapper, dataset: data.DataSet) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (name varchar(64) PRIMARY KEY, value text)")
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE name = %s", ["dataset"])
        cursor.execute(
            f"INSERT INTO {META_TABLE} (name, value) VALUES (%s, %s)", ["dataset", dataset.to_json()]
        )


def _matches(dataset: data.DataSet | None, scale: Scale) -> bool:
    return (
        dataset is not None
        and dataset.version == data.VERSION
        and (dataset.schools, dataset.years) == (scale.schools, scale.years)
    )


@contextmanager
def bench_database(
    scale: Scale, *, directory: Path | None = None, force: bool = False, log=print
) -> Iterator[data.DataSet]:
    """Use the bench database of `scale` as the default database, with its data generated (once)."""
    settings_dict = settings_for(scale, directory)
    where = describe(settings_dict)
    with _swapped(settings_dict) as wrapper:
        dataset = None if force else _read_meta(wrapper)
    if not _matches(dataset, scale):
        _drop(settings_dict)
    with _swapped(settings_dict) as wrapper:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        if _matches(dataset, scale):
            log(f"Data of {scale}: reusing {where}")
        else:
            log(f"Data of {scale}: migrated {where} in {time.perf_counter() - started:.1f} s, generating …")
            dataset = data.generate(schools=scale.schools, years=scale.years, log=log)
            _write_meta(wrapper, dataset)
            log(f"Data of {scale}: generated in {dataset.generated_in_s:.1f} s")
        yield dataset
