"""Matching a plan's «Ответственные» text to the responsible-role catalogue and named persons.

A role is found by the dictionary forms of its words, so that the plural and the cases of the
same role match it: «Школьный координатор ВПР» is found in «школьные координаторы», «школьным
координаторам ВПР»; «Руководители ОО» in «руководителям ОО». «ВПР» qualifies every role here and
is not required. Several roles in one cell («Руководители ОО, школьные координаторы») are each found.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from activities.models import ResponsiblePerson, ResponsibleRole
from vprplan.wording import lemma

TOKEN = re.compile(r"[^\W\d_]+|\d+")
OPTIONAL = frozenset({"впр"})


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("ё", "е").lower()).strip()


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(dictionary form, start, end) of each word, the optional qualifiers left out."""
    found = []
    for m in TOKEN.finditer(text or ""):
        key = lemma(m.group())
        if key not in OPTIONAL:
            found.append((key, m.start(), m.end()))
    return found


def role_key(name: str) -> tuple[str, ...]:
    """What identifies a role whatever its number and case: «Школьные координаторы ВПР» and
    «Школьный координатор ВПР» have the same key (the merge migration and the matcher use it)."""
    return tuple(key for key, _, _ in _tokens(name))


@dataclass(frozen=True, slots=True)
class RoleSpan:
    role: ResponsibleRole
    start: int
    end: int


def find_roles(text: str, roles: Iterable[ResponsibleRole]) -> list[RoleSpan]:
    """Each catalogue role the text names, with where; the longest role wins an overlap
    («Руководители ШМО» over a shorter role inside it), in the order of the text."""
    words = _tokens(text)
    keys = [w[0] for w in words]
    candidates = []
    for role in roles:
        wanted = role_key(role.name)
        if not wanted:
            continue
        size = len(wanted)
        for i in range(len(keys) - size + 1):
            if tuple(keys[i : i + size]) == wanted:
                candidates.append((size, i, role))
    taken: set[int] = set()
    spans = []
    for size, i, role in sorted(candidates, key=lambda c: (-c[0], c[1], c[2].pk or 0)):
        positions = set(range(i, i + size))
        if positions & taken or any(s.role.pk == role.pk and role.pk is not None for s in spans):
            continue
        taken |= positions
        spans.append(RoleSpan(role, words[i][1], words[i + size - 1][2]))
    return sorted(spans, key=lambda s: s.start)


def match_responsible(
    text: str, roles: list[ResponsibleRole], persons: list[ResponsiblePerson]
) -> tuple[list[ResponsibleRole], list[ResponsiblePerson]]:
    """The catalogue roles and persons that `text` names. Roles match by the dictionary forms
    of their words (any number and case), persons by surname (the first word of «Фильчук Л.А.»)."""
    haystack = _norm(text)
    found_roles = []
    for span in find_roles(text, roles):
        if span.role not in found_roles:
            found_roles.append(span.role)
    found_persons = []
    for person in persons:
        surname = _norm(person.name).split(" ")[0].rstrip(".,")
        if surname and re.search(rf"\b{re.escape(surname)}\b", haystack):
            found_persons.append(person)
    return found_roles, found_persons
