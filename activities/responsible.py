"""Matching a plan's «Ответственные» text to the responsible-role catalogue and named persons."""

import re

from activities.models import ResponsiblePerson, ResponsibleRole


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("ё", "е").lower()).strip()


def match_responsible(
    text: str, roles: list[ResponsibleRole], persons: list[ResponsiblePerson]
) -> tuple[list[ResponsibleRole], list[ResponsiblePerson]]:
    """The catalogue roles and persons that `text` names. Roles match by name, persons by
    surname (the first word of «Фильчук Л.А.»), both case-insensitively."""
    haystack = _norm(text)
    found_roles = [r for r in roles if _norm(r.name) in haystack]
    found_persons = []
    for person in persons:
        surname = _norm(person.name).split(" ")[0].rstrip(".,")
        if surname and re.search(rf"\b{re.escape(surname)}\b", haystack):
            found_persons.append(person)
    return found_roles, found_persons
