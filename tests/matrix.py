"""The permission matrix: every view is tried anonymous, by a wrong role, from another
municipality, and by the roles allowed (NetBox's ViewTestCases, made cheap).

`World` is a small country: region A with municipalities M1 (schools S1, S2) and M2 (school S3),
and region B with municipality M3 (school S4); every role is held by someone in M1's line, and
the same roles exist next door.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from schools.choices import Role
from tests.factories import MembershipFactory, MunicipalityFactory, RegionFactory, SchoolFactory, UserFactory

# Names of the people in a World, by where they sit.
HOME = ["admin", "head", "coordinator", "specialist", "school", "school2", "observer"]
AWAY = ["other_admin", "other_head", "other_coordinator", "other_school", "neighbour_coordinator"]


@dataclass
class World:
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        for store in ("orgs", "users"):
            if name in self.__dict__.get(store, {}):
                return self.__dict__[store][name]
        raise AttributeError(name)

    def people(self, *names: str) -> list:
        return [self.users[n] for n in names]

    def everyone_except(self, *names: str) -> list:
        return [u for n, u in self.users.items() if n not in names]


def build_world() -> World:
    w = World()
    o = w.orgs
    o["region"] = RegionFactory(code="region-a", name="Регион А")
    o["m1"] = MunicipalityFactory(code="m1", name="Муниципалитет 1", parent=o["region"])
    o["s1"] = SchoolFactory(code="s1", name="Школа 1", parent=o["m1"])
    o["s2"] = SchoolFactory(code="s2", name="Школа 2", parent=o["m1"])
    o["m2"] = MunicipalityFactory(code="m2", name="Муниципалитет 2 (соседний)", parent=o["region"])
    o["s3"] = SchoolFactory(code="s3", name="Школа 3", parent=o["m2"])
    o["region_b"] = RegionFactory(code="region-b", name="Регион Б")
    o["m3"] = MunicipalityFactory(code="m3", name="Муниципалитет 3", parent=o["region_b"])
    o["s4"] = SchoolFactory(code="s4", name="Школа 4", parent=o["m3"])
    seats = {
        "admin": (Role.REGIONAL_ADMIN, "region"),
        "head": (Role.HEAD, "m1"),
        "coordinator": (Role.MUNICIPAL_COORDINATOR, "m1"),
        "specialist": (Role.SPECIALIST, "m1"),
        "school": (Role.SCHOOL_COORDINATOR, "s1"),
        "school2": (Role.SCHOOL_COORDINATOR, "s2"),
        "observer": (Role.OBSERVER, "m1"),
        "neighbour_coordinator": (Role.MUNICIPAL_COORDINATOR, "m2"),
        "other_admin": (Role.REGIONAL_ADMIN, "region_b"),
        "other_head": (Role.HEAD, "m3"),
        "other_coordinator": (Role.MUNICIPAL_COORDINATOR, "m3"),
        "other_school": (Role.SCHOOL_COORDINATOR, "s4"),
    }
    for name, (role, org) in seats.items():
        user = UserFactory(username=name)
        MembershipFactory(user=user, organization=o[org], role=role)
        w.users[name] = user
    w.users["nobody"] = UserFactory(username="nobody")  # logged in, no role anywhere
    return w


def assert_matrix(client, url: str, *, allowed, denied, method: str = "get", data=None, ok=(200,)):
    """Anonymous is sent to the login page; every denied user gets 404 (the same answer as for
    a missing object); every allowed user gets one of `ok`."""
    send = getattr(client, method)
    client.logout()
    response = send(url, data) if data is not None else send(url)
    assert response.status_code == 302, f"anonymous {method.upper()} {url}: {response.status_code}"
    assert response.url.startswith(reverse("login")), response.url
    for user in denied:
        client.force_login(user)
        response = send(url, data) if data is not None else send(url)
        assert response.status_code == 404, f"{user.username} {method.upper()} {url}: {response.status_code}"
    for user in allowed:
        client.force_login(user)
        response = send(url, data) if data is not None else send(url)
        assert response.status_code in ok, f"{user.username} {method.upper()} {url}: {response.status_code}"
    client.logout()
