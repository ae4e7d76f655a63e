"""Runs the registered scenarios: warm-up, interleaved repetitions, medians, query counts at the
small and the full scale, then the table and the JSON (`manage.py bench`)."""

import gc
import json
import os
import platform
import sqlite3
import statistics
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import django
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext, override_settings

from bench.database import Scale, bench_database
from bench.registry import Context, Scenario, all_scenarios

FULL = Scale(1000, 5)
QUICK = Scale(100, 2)
SMALL_SCHOOLS = 10  # the scale query counts are compared against


@dataclass
class RunConfig:
    """How one run measures: the scales and how often."""

    scale: Scale
    small: Scale
    warmup: int
    repeat: int
    quick: bool = False

    @classmethod
    def make(cls, *, quick: bool, schools: int | None = None, years: int | None = None, repeat=None):
        base = QUICK if quick else FULL
        scale = Scale(schools or base.schools, years or base.years)
        return cls(
            scale=scale,
            small=Scale(min(SMALL_SCHOOLS, scale.schools), scale.years),
            warmup=1 if quick else 3,
            repeat=repeat or (5 if quick else 15),
            quick=quick,
        )


@dataclass
class Result:
    name: str
    ours_s: float | None
    anchor: str
    anchor_s: float | None
    ratio: float | None
    queries: int | None
    goal_ratio: float
    anchor_queries: int | None
    queries_small: int | None  # our queries at the small scale (None: not compared)
    schools: int
    schools_small: int
    queries_flat: bool | None
    goal_met: bool
    error: str | None = None  # why the scenario could not be measured

    @classmethod
    def failed(cls, scenario: Scenario, config: "RunConfig", error: str) -> "Result":
        return cls(
            name=scenario.name,
            ours_s=None,
            anchor="",
            anchor_s=None,
            ratio=None,
            queries=None,
            goal_ratio=scenario.goal_ratio,
            anchor_queries=None,
            queries_small=None,
            schools=config.scale.schools,
            schools_small=config.small.schools,
            queries_flat=None,
            goal_met=False,
            error=error,
        )


@contextmanager
def production_like():
    """Requests as production serves them: DEBUG off (no query log, templates without debug
    info), static files indexed once at start (from the app folders: no collectstatic needed), and
    the bench URLconf that adds the ceiling views. TLS is the proxy's job, so no HTTPS redirect."""
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF="bench.urls",
        SECURE_SSL_REDIRECT=False,
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_USE_FINDERS=True,
        STATIC_ROOT=None,
    ):
        yield


def count_queries(func: Callable) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured.captured_queries)


def _timed(func: Callable) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def measure(scenario: Scenario, ctx: Context, config: RunConfig, queries_small: int | None) -> Result:
    case = scenario.setup(ctx, *scenario.args)
    for _ in range(config.warmup):
        case.ours()
        case.anchor()
    queries, anchor_queries = count_queries(case.ours), count_queries(case.anchor)
    gc.collect()
    ours, anchor = [], []
    for i in range(config.repeat):
        # Interleaved, and alternating which goes first, so drift on a shared machine hits both.
        pair = (case.ours, case.anchor) if i % 2 == 0 else (case.anchor, case.ours)
        first, second = _timed(pair[0]), _timed(pair[1])
        ours.append(first if i % 2 == 0 else second)
        anchor.append(second if i % 2 == 0 else first)
    ours_s, anchor_s = statistics.median(ours), statistics.median(anchor)
    ratio = ours_s / anchor_s if anchor_s else float("inf")
    flat = None if queries_small is None else queries <= queries_small
    return Result(
        name=scenario.name,
        ours_s=round(ours_s, 6),
        anchor=case.anchor_name,
        anchor_s=round(anchor_s, 6),
        ratio=round(ratio, 2),
        queries=queries,
        goal_ratio=scenario.goal_ratio,
        anchor_queries=anchor_queries,
        queries_small=queries_small,
        schools=config.scale.schools,
        schools_small=config.small.schools,
        queries_flat=flat,
        goal_met=ratio <= scenario.goal_ratio and flat is not False,
    )


def database_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        try:
            version = connection.pg_version  # e.g. 150020
        except DatabaseError:  # the load run names its own database; this one may not exist
            return "PostgreSQL"
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return connection.vendor


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database_version(),
        "os": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def _small_queries(scenario: Scenario, ctx: Context) -> int:
    case = scenario.setup(ctx, *scenario.args)
    case.ours()
    return count_queries(case.ours)


def run(config: RunConfig, *, directory: Path | None = None, only: str = "", log=print) -> dict:
    """Measure every scenario (whose name contains `only`) and return the report. A scenario that
    fails is reported with its error; the others are still measured."""
    scenarios = [s for s in all_scenarios() if only.lower() in s.name.lower()]
    if not scenarios:
        raise ValueError(f"No scenario matches {only!r}.")
    started = time.perf_counter()
    small_counts: dict[str, int] = {}
    errors: dict[str, str] = {}

    def attempt(scenario: Scenario, where: Scale, func: Callable):
        try:
            return func()
        except Exception as e:  # one broken scenario must not hide the others' figures
            errors[scenario.name] = f"{type(e).__name__} at {where.schools} schools: {e}"
            log(f"  {scenario.name}: FAILED\n{traceback.format_exc()}")
            return None

    results: list[Result] = []
    with production_like():
        if config.small != config.scale:
            with bench_database(config.small, directory=directory, log=log) as dataset:
                ctx = Context(dataset, quick=config.quick)
                for s in scenarios:
                    if s.flat_queries:
                        small_counts[s.name] = attempt(s, config.small, lambda s=s: _small_queries(s, ctx))
        with bench_database(config.scale, directory=directory, log=log) as dataset:
            ctx = Context(dataset, quick=config.quick)
            env = machine()
            for s in scenarios:
                if config.small == config.scale and s.flat_queries:
                    small_counts[s.name] = attempt(s, config.small, lambda s=s: _small_queries(s, ctx))
                result = None
                if s.name not in errors:
                    result = attempt(
                        s,
                        config.scale,
                        lambda s=s: measure(s, ctx, config, small_counts[s.name] if s.flat_queries else None),
                    )
                if result is None:
                    result = Result.failed(s, config, errors[s.name])
                else:
                    log(f"  {result.name}: {result.ours_s * 1000:.1f} ms vs {result.anchor_s * 1000:.1f} ms")
                results.append(result)
            counts = dataset.counts
    return {
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": env,
        "scale": asdict(config.scale),
        "small_scale": asdict(config.small),
        "rows": counts,
        "quick": config.quick,
        "warmup": config.warmup,
        "repeat": config.repeat,
        "took_s": round(time.perf_counter() - started, 1),
        "scenarios": [asdict(r) for r in results],
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def table(report: dict) -> str:
    """The report as a Markdown table (it goes into README as printed)."""
    small, large = report["small_scale"]["schools"], report["scale"]["schools"]
    lines = [
        f"| scenario | ours, ms | anchor | anchor, ms | ratio | goal | queries at {small} → {large} schools | |",
        "|---|---:|---|---:|---:|---:|---|---|",
    ]
    for r in report["scenarios"]:
        if r["error"]:
            lines.append(
                f"| {r['name']} | – | – | – | – | ≤ {r['goal_ratio']:g}× | – | error: {r['error']} |"
            )
            continue
        queries = (
            f"{r['queries_small']} → {r['queries']}" if r["queries_small"] is not None else f"{r['queries']}"
        )
        problems = []
        if r["ratio"] > r["goal_ratio"]:
            problems.append("over goal")
        if r["queries_flat"] is False:
            problems.append("queries grow")
        lines.append(
            f"| {r['name']} | {_ms(r['ours_s'])} | {r['anchor']} | {_ms(r['anchor_s'])} | "
            f"{r['ratio']:.1f}× | ≤ {r['goal_ratio']:g}× | {queries} | {', '.join(problems) or 'ok'} |"
        )
    return "\n".join(lines)


def summary(report: dict) -> str:
    m = report["machine"]
    scale = report["scale"]
    return (
        f"{Scale(**scale)} ({report['rows'].get('plans', '?')} plans, "
        f"{report['rows'].get('executions', '?')} executions); medians of {report['repeat']} runs after "
        f"{report['warmup']} warm-up; {m['nproc']} × {m['cpu']}, Python {m['python']}, Django {m['django']}, "
        f"{m['database']}; load average {m['load_average']}"
    )


def write_json(report: dict, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
