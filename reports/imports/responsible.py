"""What an imported «Ответственные» cell names: catalogue roles, named persons, and new roles.

Catalogue roles and persons are found by activities.responsible.match_responsible (the same rule
the editor and the demo use). What is left over and is not a person («Отдел образования
администрации МО «Инта»») is proposed as a new role of the organisation's catalogue.
"""

import re
from dataclasses import dataclass, field

from activities.models import ResponsiblePerson, ResponsibleRole
from activities.responsible import find_roles, match_responsible, role_key
from reports.imports.titles import ABBREVIATIONS

# «Фильчук Л.А.», «Горбенко ОА», «Губкина И.В. руководитель РУО»
PERSON = re.compile(r"^([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+([А-ЯЁ])\.?\s?([А-ЯЁ])\.?(?=[\s,;.]|$)")
# Split at «;», line ends and «, » followed by a capital letter (a new name, not a continuation).
CHUNKS = re.compile(r"\s*(?:;|\n|,\s*(?=[А-ЯЁA-Z]))\s*")
MAX_ROLE_NAME = 300


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("ё", "е").lower()).strip(" ,.;:")


@dataclass
class ResponsibleMatch:
    roles: list[ResponsibleRole] = field(default_factory=list)
    persons: list[ResponsiblePerson] = field(default_factory=list)
    new_roles: list[str] = field(default_factory=list)  # names, as the document writes them
    unknown_persons: list[str] = field(default_factory=list)


def person_name(chunk: str) -> str | None:
    match = PERSON.match(chunk)
    if not match or f"{match.group(2)}{match.group(3)}" in ABBREVIATIONS:
        return None
    return f"{match.group(1)} {match.group(2)}.{match.group(3)}."


def analyse(text: str, roles: list[ResponsibleRole], persons: list[ResponsiblePerson]) -> ResponsibleMatch:
    """Every role and person the cell names, and each part that names nothing known: a person not
    in the catalogue, or a new role, flagged on the preview; no part is dropped silently.
    «Руководители ОО, школьные координаторы, методисты» finds both roles and proposes «Методисты»."""
    found_roles, found_persons = match_responsible(text, roles, persons)
    result = ResponsibleMatch(roles=found_roles, persons=found_persons)
    surnames = {norm(p.name).split(" ")[0] for p in found_persons}
    for chunk in CHUNKS.split(text or ""):
        spans = find_roles(chunk, found_roles)
        # What the found roles leave of the chunk; once a role is found there, «, » separates too.
        pieces, last = [], 0
        for span in spans:
            pieces.append(chunk[last : span.start])
            last = span.end
        pieces.append(chunk[last:])
        if spans:
            pieces = [p for piece in pieces for p in re.split(r",\s*|\s+и\s+", piece)]
        after_person = False
        for piece in pieces:
            after_person = _leftover(piece.strip(" ,.;:"), result, surnames, after_person=after_person)
    return result


def _leftover(piece: str, result: ResponsibleMatch, surnames: set[str], *, after_person: bool) -> bool:
    """Record what a piece names; True when it is a person (whose position may follow)."""
    if sum(c.isalpha() for c in piece) < 3 or not role_key(piece):  # «ВПР» alone qualifies a role
        return after_person
    person = person_name(piece)
    if person:
        if norm(person).split(" ")[0] not in surnames:
            result.unknown_persons.append(person)
        return True
    if after_person and piece[:1].islower():
        return False  # «Фильчук Л.А., ведущий специалист»: his position, not a role
    name = (piece[:1].upper() + piece[1:])[:MAX_ROLE_NAME]
    if norm(name) not in {norm(r) for r in result.new_roles}:
        result.new_roles.append(name)
    return False
