"""The permission matrix generated from the URL configuration.

Every URL name the resolver knows must have a declared rule (rules.py); each rule is tried by
anonymous, by every demo role on HOME's object, and by every role on the objects of a neighbour
municipality (same region) and of another region. Denied is 404, the same as missing; a denied
POST changes nothing; an allowed one is not refused. Public URLs answer anonymously and never show
what is not published.
"""

from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import World, build_world
from tests.security.objects import AWAY_MARK, NEIGHBOUR_MARK, Things, build_things
from tests.security.rules import ADMIN_NAMESPACE, ROLES, RULES, Rule, Try

pytestmark = pytest.mark.django_db

# Leaks the matrix found whose fix is in a view this change does not own: {URL name: reason}.
# Each is xfail(strict=True), so the test starts failing (and must be removed) once it is fixed.
KNOWN_LEAKS: dict[str, str] = {}

# Rows that change on every request whatever its answer, not a write by the view.
VOLATILE = {"sessions.session", "admin.logentry", "vprplan.auditevent", "auth.user"}
TALLY: Counter = Counter()


def url_names(resolver=None, namespace: str = "") -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, through includes; an unnamed pattern is named by its
    route so that it fails the rule check too."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(p for p in (namespace, pattern.namespace) if p)
            found += [(n, str(pattern.pattern) + route) for n, route in url_names(pattern, inner)]
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed: {pattern.pattern}>"
            found.append((f"{namespace}:{name}" if namespace else name, str(pattern.pattern)))
    return found


def _is_admin(name: str) -> bool:
    return name.split(":", 1)[0] == ADMIN_NAMESPACE


def test_every_url_has_a_rule():
    missing = sorted(
        f"{name} ({route})" for name, route in url_names() if name not in RULES and not _is_admin(name)
    )
    assert not missing, "URLs with no declared rule in tests/security/rules.py:\n  " + "\n  ".join(missing)


def test_every_rule_names_a_url():
    names = {name for name, _ in url_names()}
    stale = sorted(set(RULES) - names)
    assert not stale, f"rules for URLs that no longer exist: {stale}"


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """One World with its objects for the whole module, like TestCase.setUpTestData: built in a
    transaction that is rolled back at the end; each test runs in a savepoint inside it, so what
    one test writes is gone before the next."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            yield world, build_things(world)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class Clients:
    """One test client per user, logged in once: `of(None)` is the anonymous one."""

    def __init__(self, world: World):
        self.world = world
        self.clients: dict = {}

    def of(self, user) -> Client:
        key = user.pk if user else None
        if key not in self.clients:
            self.clients[key] = Client()
            if user:
                self.clients[key].force_login(user)
        return self.clients[key]


def test_admin_is_staff_only(shared):
    world, _ = shared
    client = Client()
    pages = ["admin:index", "admin:schools_organization_changelist", "admin:activities_plan_changelist"]
    staff = get_user_model().objects.create_user("staff", password="x", is_staff=True, is_superuser=True)
    for name in pages:
        url = reverse(name)
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url, (name, response.status_code)
        for user in [*world.people(*ROLES)]:
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response.url, (user, name)
            TALLY["checks"] += 1
        client.force_login(staff)
        assert client.get(url).status_code == 200, name
        TALLY["checks"] += 2


def _url(name: str, attempt: Try, place) -> str:
    kwargs = attempt.kwargs(place) if attempt.kwargs else {}
    return reverse(name, kwargs=kwargs) + attempt.query


def _send(client, attempt: Try, url: str, home):
    TALLY["checks"] += 1
    if attempt.method == "post":
        return client.post(url, attempt.data(home))
    return client.get(url)


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if not (kind.startswith("text/") or "html" in kind or "json" in kind):
        return ""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", "replace")


def _state(things: Things):
    """What a write would change: the rows of each model, and every object of the three places."""
    counts = {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in VOLATILE and m._meta.app_label != "axes"
    }
    wanted: dict = {}
    user_model = get_user_model()
    for place in ("home", "neighbour", "away"):
        for value in vars(things.at(place)).values():
            if isinstance(value, Model) and not isinstance(value, user_model) and value.pk is not None:
                wanted.setdefault(type(value), set()).add(value.pk)
    rows = {
        (model._meta.label_lower, row["pk"]): row
        for model, pks in wanted.items()
        for row in model._default_manager.filter(pk__in=pks).values(
            "pk", *[f.attname for f in model._meta.concrete_fields]
        )
    }
    return counts, rows


def _who(user) -> str:
    return user.username if user else "anonymous"


def _expect(response, wanted, who, method, url):
    where = f" → {response.url}" if response.status_code == 302 else ""
    assert response.status_code in wanted, (
        f"{_who(who)} {method.upper()} {url}: {response.status_code}{where}"
    )


def _no_foreign_data(text: str, user, url: str) -> None:
    """No page shows another region's data; a neighbour municipality's only to the region's admin."""
    assert AWAY_MARK not in text, f"{_who(user)} {url} shows another region's data"
    if not (user and user.username == "admin"):
        assert NEIGHBOUR_MARK not in text, f"{_who(user)} {url} shows the neighbour municipality's data"


def _check_public(clients: Clients, things: Things, name: str, rule: Rule):
    home, people = things.home, [None, *clients.world.people(*ROLES)]
    for attempt in rule.tries:
        url = _url(name, attempt, home)
        for user in people:
            response = _send(clients.of(user), attempt, url, home)
            _expect(response, attempt.ok, user, attempt.method, url)
            text = _text(response)
            _no_foreign_data(text, user, url)
            for secret in rule.absent(home) if rule.absent else []:
                assert secret not in text, f"{_who(user)} {url} shows «{secret}», which is not published"
    for build in rule.hidden:
        url = reverse(name, kwargs=build(home))
        for user in people:
            TALLY["checks"] += 1
            response = clients.of(user).get(url)
            assert response.status_code == 404, f"{_who(user)} GET {url}: {response.status_code}, want 404"


def _check(clients: Clients, things: Things, name: str, attempt: Try):
    home, users = things.home, clients.world.users
    url = _url(name, attempt, home)
    mutating = attempt.method == "post"
    before = _state(things) if mutating else None

    response = _send(clients.of(None), attempt, url, home)
    assert response.status_code == 302, f"anonymous {attempt.method.upper()} {url}: {response.status_code}"
    assert response.url.startswith(reverse("login")), response.url

    for role in ROLES:
        if role not in attempt.allowed:
            _expect(
                _send(clients.of(users[role]), attempt, url, home), (404,), users[role], attempt.method, url
            )
    later = []  # (user, url): the allowed requests on other places, after the denied ones
    if attempt.kwargs:
        places = ["away"] if attempt.per_region else ["away", "neighbour"]
        for place in places:
            there = _url(name, attempt, things.at(place))
            assert there != url, f"{name}: the {place} object's URL is HOME's ({url})"
            for role in ROLES:
                user = users[role]
                if place == "neighbour" and role in attempt.neighbour_allowed():
                    later.append((user, there))
                    continue
                _expect(_send(clients.of(user), attempt, there, home), (404,), user, attempt.method, there)
    if mutating:
        after = _state(things)
        assert after[0] == before[0], f"a refused POST {url} changed row counts: {_diff(before[0], after[0])}"
        changed = [key for key in before[1] if before[1][key] != after[1].get(key)]
        assert not changed, f"a refused POST {url} changed {changed}"

    # Each allowed user acts on the objects as they were: what the one before did is rolled back.
    for user, there in later + [(users[role], url) for role in ROLES if role in attempt.allowed]:
        client = clients.of(user)  # logged in outside the rollback, so that the session stays
        with transaction.atomic():
            response = _send(client, attempt, there, home)
            text = _text(response)
            transaction.set_rollback(True)
        _expect(response, attempt.ok, user, attempt.method, there)
        _no_foreign_data(text, user, there)


def _diff(a: dict, b: dict) -> dict:
    return {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}


def _params():
    for name in sorted(RULES):
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_LEAKS[name])] if name in KNOWN_LEAKS else []
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", _params())
def test_url_matrix(shared, name):
    world, things = shared
    rule, clients = RULES[name], Clients(world)
    if rule.public:
        _check_public(clients, things, name, rule)
    else:
        for attempt in rule.tries:
            _check(clients, things, name, attempt)
    TALLY["urls"] += 1


def test_matrix_figures(record_property):
    """Last in the module: what the matrix checked. `url_matrix_urls` counts the URL names whose
    test passed; `url_matrix_checks` every request made (URL × user × object, anonymous included)."""
    if not TALLY["urls"]:
        pytest.skip("no URL test of the matrix ran in this session (deselected)")
    record_property("url_matrix_urls", TALLY["urls"])
    record_property("url_matrix_roles", f"{len(ROLES)} roles + anonymous")
    record_property("url_matrix_checks", TALLY["checks"])
