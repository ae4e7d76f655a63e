"""An audit event's data as labelled Russian fields for «Журнал действий»: «IP-адрес: 10.0.0.1»,
«изменено: срок исполнения: «до 1 марта» → «до 15 марта»», never «ip: …; user_agent: …».

Internal keys (ids of objects, digests, the deleted object's snapshot) are not shown: the page is
for people, the data stays in the record for whoever investigates."""

import datetime as dt
import re
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from vprplan.wording import count

LABELS = {
    "ip": "IP-адрес",
    "user_agent": "браузер",
    "username": "имя входа",
    "user": "учётная запись",
    "role": "роль",
    "position": "должность",
    "reason": "причина",
    "failures": "неудачных попыток",
    "comment": "комментарий",
    "files": "файлы",
    "file": "файл",
    "file_name": "файл",
    "title": "наименование",
    "number": "номер",
    "to": "новая позиция",
    "year": "год",
    "years": "сдвиг, лет",
    "source": "источник",
    "subjects": "предметы",
    "grades": "классы",
    "stage": "этап",
    "late": "подан с опозданием",
    "due": "срок подачи",
    "violations": "нарушения",
    "kind": "вид",
    "format": "формат",
    "fields": "поля",
    "error": "ошибка",
    "expert": "эксперт",
    "work": "работа",
    "works": "работ",
    "ends_on": "срок окончания",
    "before": "было",
    "after": "стало",
    "original": "исходные баллы",
    "new": "новых",
    "updated": "обновлено",
    "skipped": "пропущено",
    "created": "создано",
    "count": "количество",
    "sections": "разделов",
    "activities": "мероприятий",
    "roles_created": "создано ролей",
    "label": "работа",
    "from": "было",
    "change": "изменение",
    "items": "что именно",
    "export": "выгрузка",
    "moved": "перенесено",
    "rescheduled": "сроки изменены",
    "not_applicable": "не относится к ОО",
    "kept": "без изменений",
    "method": "способ входа",
    "group": "группа в каталоге",
    "signing": "способ подписи",
    "certificate": "сертификат",
    "problem": "причина отказа",
}
HIDDEN = {
    "plan", "plan_id", "section_id", "user_id", "organization_id", "session", "observer", "parent",
    "amends", "replaces", "restored", "document", "execution", "assignment", "campaign", "by",
    "pairs", "snapshot", "sha256", "params", "activities_snapshot", "code", "signature_sha256", "scan_sha256",
}  # fmt: skip
# Counts that say nothing when zero («перенесено: 0»).
COUNTS = {"moved", "rescheduled", "not_applicable", "kept", "created", "updated", "skipped", "new"}
VALUES = {
    "reason": {"user": "выход по кнопке", "idle": "по истечении времени бездействия"},
    "change": {"added": "добавлено", "removed": "снято", "cleared": "снято всё"},
    "stage": {"conduct": "проведение", "checking": "проверка работ", "upload": "загрузка результатов"},
    "format": {"xlsx": "Excel (.xlsx)", "pdf": "PDF", "docx": "Word (.docx)"},
    "export": {"observer_schedule": "график распределения наблюдателей"},
    "method": {"ldap": "каталог организации (LDAP)", "oidc": "единый вход (OpenID Connect)"},
    "source": {"ldap": "каталог организации (LDAP)", "oidc": "единый вход (OpenID Connect)"},
    "signing": {"browser": "своей подписью в браузере", "detached": "файлом подписи .sig", "paper": "на бумаге",
                "server": "ключом органа на сервере"},  # fmt: skip
}
PLAN_STATUSES = {"draft": "черновик", "on_approval": "на утверждении", "approved": "утверждён",
                 "archived": "в архиве"}  # fmt: skip
YES_NO = {True: "да", False: "нет"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Detail:
    label: str
    value: str


def details(event) -> list[Detail]:
    """The event's data as (label, value) pairs in Russian, internal keys left out."""
    data = dict(event.data or {})
    model = _model(event.object_type)
    found = []
    if "from" in data and "to" in data and data["from"] in PLAN_STATUSES:
        found.append(
            Detail("состояние", f"{PLAN_STATUSES[data.pop('from')]} → {PLAN_STATUSES[data.pop('to')]}")
        )
    for key, value in data.items():
        if key in HIDDEN or value in ("", None, [], {}) or (value == 0 and key in COUNTS):
            continue
        if key == "changes" and isinstance(value, dict):
            found.extend(_changes(model, value))
            continue
        label = LABELS.get(key) or _verbose_name(model, key) or "дополнительно"
        found.append(Detail(label, _field_value(model, key, value) if _field(model, key) else _text(key, value)))
    return found


def _changes(model, changes: dict) -> list[Detail]:
    found = []
    for field, pair in changes.items():
        label = _verbose_name(model, field) or LABELS.get(field) or "поле"
        if isinstance(pair, list | tuple) and len(pair) == 2:
            before, after = (_field_value(model, field, v) for v in pair)
            found.append(Detail(f"изменено: {label}", f"«{before or '—'}» → «{after or '—'}»"))
        else:
            found.append(Detail(f"изменено: {label}", _field_value(model, field, pair)))
    return found


def _field_value(model, name: str, value) -> str:
    """A changed field's value as the form showed it: a choice by its label, a related row by its
    name, a deadline rule in a word (the activity's history page spells it out)."""
    if value in (None, "", [], {}):
        return ""
    field = _field(model, name)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation:
        ids = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(pk, int) for pk in ids):
            return _text(name, value)  # a name written in its place (a role's «user»: the login)
        names = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=ids)}
        return ", ".join(names.get(pk, "удалено из справочника") for pk in ids)[:160]
    if isinstance(value, dict):
        return "изменено"
    return _text(name, value)


BROWSERS = (("YaBrowser", "Яндекс Браузер"), ("Edg", "Edge"), ("OPR", "Opera"), ("Firefox", "Firefox"),
            ("Chrome", "Chrome"), ("Version", "Safari"))  # fmt: skip
SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("Linux", "Linux"))  # fmt: skip


def browser(user_agent: str) -> str:
    """«Chrome 156, Linux» of a User-Agent header; the header itself when it names neither."""
    name = next(
        (f"{label} {m.group(1)}" for token, label in BROWSERS
         if (m := re.search(rf"{token}/(\d+)", user_agent))), ""
    )  # fmt: skip
    system = next((label for token, label in SYSTEMS if token in user_agent), "")
    return ", ".join(p for p in (name, system) if p) or user_agent[:120]


def _text(key: str, value) -> str:
    if value is None:
        return ""
    if key == "user_agent" and isinstance(value, str):
        return browser(value)
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, str):
        mapped = VALUES.get(key, {}).get(value)
        if mapped:
            return mapped
        if ISO_DATE.match(value):
            return _date(value)
        return value[:160]
    if isinstance(value, list | tuple):
        if key == "files":
            return ", ".join(str(v) for v in value) if len(value) < 4 else count(len(value), "файл")
        return ", ".join(_text(key, v) for v in value)[:160]
    if isinstance(value, dict):
        return "; ".join(f"{LABELS.get(k, k)}: {_text(k, v)}" for k, v in value.items())[:160]
    return str(value)


def _date(value: str) -> str:
    try:
        return f"{dt.date.fromisoformat(value):%d.%m.%Y}"
    except ValueError:
        return value


def _model(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _verbose_name(model, name: str) -> str | None:
    field = _field(model, name)
    return None if field is None else str(field.verbose_name)
