"""Change history and version comparison in the user's words: each field by its verbose name and
each value as the user typed or chose it (a date as a date, a choice by its label, roles and
persons by name, a deadline rule as the sentence the editor shows), never «deadline_text: …»."""

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

from activities.deadlines.describe import describe
from activities.deadlines.rule import DeadlineRule

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YES_NO = {True: "да", False: "нет"}


def field_label(model: type[models.Model], name: str) -> str:
    """«Срок (как в документе)» for deadline_text; a name the model lacks reads «Поле»."""
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return "Поле"


def field_labels(model: type[models.Model], names: Iterable[str]) -> list[str]:
    return [field_label(model, name) for name in names]


def change_rows(model: type[models.Model], changes: dict, *, plan=None) -> list[tuple[str, str, str]]:
    """(label, before, after) for each change an audit event recorded as {field: [before, after]}."""
    rows = []
    for name, pair in (changes or {}).items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        rows.append((field_label(model, name), value_text(model, name, before, plan=plan),
                     value_text(model, name, after, plan=plan)))  # fmt: skip
    return rows


def value_text(model: type[models.Model], name: str, value, *, plan=None) -> str:
    """A stored value as the page shows it."""
    if value in (None, "", [], {}):
        return ""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if isinstance(field, models.ManyToManyField) or (field is not None and field.is_relation):
        ids = value if isinstance(value, list | tuple) else [value]
        names = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=ids)}
        return ", ".join(names.get(pk, "удалено из справочника") for pk in ids)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, dict) and name == "deadline_rule":
        return _rule(value, plan)
    if isinstance(value, str) and ISO_DATE.match(value):
        return f"{dt.date.fromisoformat(value):%d.%m.%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _rule(value: dict, plan) -> str:
    try:
        rule = DeadlineRule.from_json(value)
        if plan is None or not (plan.period_start and plan.period_end):
            raise ValueError
        return describe(rule, period_start=plan.period_start, period_end=plan.period_end)
    except (KeyError, TypeError, ValueError):
        return "правило срока изменено"
