"""One role where the catalogue held near-duplicates: «Школьные координаторы ВПР» is merged into
«Школьный координатор ВПР» (the same words in another number or case, «ВПР» or not), within each
organisation's catalogue and the common one. Every activity linked to a merged role is linked to
the role kept; the kept one is the name in the dictionary form (singular), else the most used."""

import re

from django.db import migrations

TOKEN = re.compile(r"[^\W\d_]+|\d+")
OPTIONAL = {"впр"}


def _key(name: str) -> tuple[str, ...]:
    from vprplan.wording import lemma  # the matcher's rule (activities.responsible.role_key), frozen here

    return tuple(k for k in (lemma(w) for w in TOKEN.findall(name)) if k not in OPTIONAL)


def _plain(name: str) -> bool:
    """All words already in the dictionary form: «Школьный координатор ВПР», not «…координаторы»."""
    from vprplan.wording import lemma

    return all(w.isupper() or lemma(w) == w.lower().replace("ё", "е") for w in TOKEN.findall(name))


def merge(apps, schema_editor):
    Role = apps.get_model("activities", "ResponsibleRole")
    Link = apps.get_model("activities", "Activity").responsible_roles.through
    groups: dict[tuple, list] = {}
    for role in Role.objects.order_by("pk"):
        groups.setdefault((role.owner_id, _key(role.name)), []).append(role)
    for (_, key), roles in groups.items():
        if len(roles) < 2 or not key:
            continue
        uses = {r.pk: Link.objects.filter(responsiblerole_id=r.pk).count() for r in roles}
        keep = sorted(roles, key=lambda r: (not _plain(r.name), -uses[r.pk], r.pk))[0]
        for role in roles:
            if role.pk == keep.pk:
                continue
            linked = set(Link.objects.filter(responsiblerole_id=keep.pk).values_list("activity_id", flat=True))
            Link.objects.bulk_create(
                [
                    Link(activity_id=a, responsiblerole_id=keep.pk)
                    for a in Link.objects.filter(responsiblerole_id=role.pk).values_list("activity_id", flat=True)
                    if a not in linked
                ]
            )
            if not keep.acting_role and role.acting_role:
                keep.acting_role = role.acting_role
                keep.save(update_fields=["acting_role"])
            role.delete()  # its own links go with it: each is now the kept role's


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_reminders_notifications")]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
