"""What an imported «Ответственные» cell names: catalogue roles, named persons, and new roles.

Catalogue roles and persons are found by activities.responsible.match_responsible (the same rule
the editor and the demo use). What is left over and is not a person («Отдел образования
администрации МО «Инта»») is proposed as a new role of the organisation's catalogue.
"""

import re
from dataclasses import dataclass, field

from activities.models import ResponsiblePerson, ResponsibleRole
from activities.responsible import match_responsible
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
    found_roles, found_persons = match_responsible(text, roles, persons)
    result = ResponsibleMatch(roles=found_roles, persons=found_persons)
    role_names = [norm(r.name) for r in found_roles]
    surnames = {norm(p.name).split(" ")[0] for p in found_persons}
    for chunk in CHUNKS.split(text or ""):
        chunk = chunk.strip(" ,.;:")
        if sum(c.isalpha() for c in chunk) < 3:
            continue
        n = norm(chunk)
        if any(name in n for name in role_names):
            continue
        person = person_name(chunk)
        if person:
            if norm(person).split(" ")[0] not in surnames:
                result.unknown_persons.append(person)
            continue
        name = (chunk[:1].upper() + chunk[1:])[:MAX_ROLE_NAME]
        if norm(name) not in {norm(r) for r in result.new_roles}:
            result.new_roles.append(name)
    return result
