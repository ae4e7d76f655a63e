"""The scenario registry: `@scenario` records a setup function; the harness calls it once per
data scale and measures the `Case` it returns."""

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from bench.data import DataSet


class BenchError(Exception):
    """A scenario cannot be measured (wrong status, rows differ from the anchor's, bad data)."""


@dataclass
class Case:
    """What one scenario measures: our callable against its anchor callable.

    `ours` and `anchor` take no arguments and do the whole unit of work once (one request, one
    render, one sweep). The harness times both, interleaved, and counts the queries of each.
    """

    ours: Callable[[], Any]
    anchor: Callable[[], Any]
    anchor_name: str


@dataclass
class Scenario:
    name: str
    setup: Callable[..., Case]
    goal_ratio: float
    # Whether our query count must stay the same from the small scale to the full one.
    flat_queries: bool = True
    args: tuple = ()


@dataclass
class Context:
    """What a scenario's setup gets: the data of the current scale and logged-in clients."""

    data: DataSet
    quick: bool = False
    _clients: dict = field(default_factory=dict)

    def user(self, role: str):
        """The bench user who holds `role` (a schools.choices.Role value) in the measured place."""
        return get_user_model().objects.get(pk=self.data.users[role])

    def client(self, user=None) -> Client:
        """A test client logged in as `user` (anonymous when None), one per user and scale."""
        key = user.pk if user is not None else None
        if key not in self._clients:
            client = Client()
            if user is not None:
                client.force_login(user)
            self._clients[key] = client
        return self._clients[key]

    def page(self, client: Client, url: str, status: int = 200) -> Callable[[], Any]:
        """A callable that GETs `url` and fails loudly unless it answers `status`."""

        def get():
            response = client.get(url)
            if response.status_code != status:
                raise BenchError(f"GET {url}: {response.status_code}, expected {status}")
            return response

        return get


def same_rows(pattern: str, ours, anchor, what: str) -> None:
    """Fail unless both responses show the same ids (`pattern` captures one): an anchor that
    renders other rows than our page is not its ceiling."""
    found = [set(re.findall(pattern, r.content.decode())) for r in (ours, anchor)]
    if found[0] != found[1] or not found[0]:
        raise BenchError(
            f"{what}: ours shows {len(found[0])} rows, the anchor {len(found[1])}; "
            f"{len(found[0] ^ found[1])} differ"
        )


_REGISTRY: list[Scenario] = []


def scenario(
    name: str,
    *,
    goal_ratio: float,
    flat_queries: bool = True,
    params: dict[str, Any] | None = None,
):
    """Register a scenario: a function `(ctx: Context, *param) -> Case`.

    With `params` ({label: value}) one scenario is registered per item, named
    `name.format(label)`, and the function gets the value as its second argument.
    """

    def register(func: Callable[..., Case]) -> Callable[..., Case]:
        items: Iterable = params.items() if params else [(None, None)]
        for label, value in items:
            _REGISTRY.append(
                Scenario(
                    name=name.format(label) if params else name,
                    setup=func,
                    goal_ratio=goal_ratio,
                    flat_queries=flat_queries,
                    args=(value,) if params else (),
                )
            )
        return func

    return register


def all_scenarios() -> list[Scenario]:
    """Every scenario of every module in bench.scenarios, modules in name order."""
    import bench.scenarios as package  # here, not at the top: the scenarios import this registry


    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        importlib.import_module(f"{package.__name__}.{module}")
    names = [s.name for s in _REGISTRY]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise BenchError(f"Scenario names must be unique: {', '.join(duplicates)}")
    return list(_REGISTRY)
