"""Russian wording in templates: {% load wording %}

{{ observer.full_name|declined:"gen" }}          Захарова Дениса Олеговича
{{ observer.full_name|short:"dat" }}             Захарову Д.О.
{{ "назначен"|gendered:observer.full_name }}     назначена (for a woman)
{{ n|plural:"мероприятие,мероприятия,мероприятий" }}   мероприятия (the word only)
{{ n|count:"мероприятие,мероприятия,мероприятий" }}    4 мероприятия
{{ n|count:"раздел" }}                           4 раздела (forms by pymorphy3)
"""

from django import template

from vprplan import wording

register = template.Library()


def _forms(forms: str) -> list[str]:
    parts = [p.strip() for p in str(forms).split(",")]
    return parts if len(parts) == 3 else parts[:1]


@register.filter
def declined(full_name, case="gen"):
    return wording.decline(str(full_name or ""), case)


@register.filter
def short(full_name, case="nom"):
    return wording.short_name(str(full_name or ""), case)


@register.filter
def gendered(word, person):
    return wording.gendered(str(word), str(person or ""))


@register.filter
def plural(n, forms):
    try:
        return wording.plural(int(n), *_forms(forms))
    except (TypeError, ValueError):
        return ""


@register.filter
def count(n, forms):
    try:
        return wording.count(int(n), *_forms(forms))
    except (TypeError, ValueError):
        return ""


@register.filter
def address(user):
    """{{ user|address }}: «Эвелина Олеговна», or "" when the account holds no person's name."""
    return wording.address(getattr(user, "first_name", ""), getattr(user, "last_name", ""))


@register.filter
def user_short(user, case="nom"):
    """{{ e.reviewed_by|user_short }}: «Круглова Э.О.»; the login when the account holds no name."""
    return wording.user_short_name(user, case) if user else ""


@register.filter
def user_did(user, verb):
    """{{ e.reviewed_by|user_did:"вернул" }}: «Круглова Э.О. вернула» — the verb agreed with her."""
    if not user:
        return ""
    full = wording.user_full_name(getattr(user, "first_name", ""), getattr(user, "last_name", ""))
    return f"{wording.user_short_name(user)} {wording.gendered(str(verb), full)}"
