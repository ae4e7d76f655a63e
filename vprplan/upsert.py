"""Create-or-update that writes only what differs, so re-running a load changes nothing."""

from django.db import models


def upsert(
    model: type[models.Model], lookup: dict, values: dict, *, exclude: tuple = ()
) -> tuple[models.Model, bool]:
    """The row matching `lookup`, created or brought to `values`. Returns (row, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(exclude=exclude)
        obj.save()
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean(exclude=exclude)
        obj.save()
    return obj, bool(changed)
