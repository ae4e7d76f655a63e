"""The pieces of a spreadsheet import through django-import-export that the schedule and the
observers' registry share (the traps of TECH-NOTES.md): dates and times as a sheet holds them
(openpyxl's datetimes become dates, else a re-import never counts as unchanged), numbers and
«да»/«нет», school codes, existing rows read once per file, empty rows dropped, every error of a
row reported together and in Russian.
"""

import re
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader

from schools.models import Organization
from schools.resources.catalogue import normalise, prepare_sheet


class SheetDateWidget(widgets.Widget):
    """A date from a cell: a date, a datetime (openpyxl), «16.04.2024» or «2024-04-16»."""

    def __init__(self, *, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = normalise(value)
        if not text:
            return None
        for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(f"{self.label}: «{text}» — не дата (нужно ДД.ММ.ГГГГ).")

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if value else ""


class SheetTimeWidget(widgets.Widget):
    """A time from a cell: a time, a datetime, «9:00», «09.00» or «09:00:00»."""

    def __init__(self, *, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.time().replace(second=0, microsecond=0)
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        text = normalise(value)
        if not text:
            return None
        found = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", text)
        if not found or int(found[1]) > 23 or int(found[2]) > 59:
            raise ValueError(f"{self.label}: «{text}» — не время (нужно ЧЧ:ММ).")
        return time(int(found[1]), int(found[2]))

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


class NumberWidget(widgets.Widget):
    """A whole number from «4», 4.0 or «4 класс»; empty gives `default`."""

    def __init__(self, *, label: str, default=None):
        super().__init__()
        self.label, self.default = label, default

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            if self.default is None:
                raise ValueError(f"Не указано: {self.label}.")
            return self.default
        found = re.match(r"\s*(\d+)", text)
        if not found:
            raise ValueError(f"{self.label}: «{text}» — не число.")
        return int(found[1])

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class FlagWidget(widgets.Widget):
    """«да» / «нет»; an empty cell is `default`."""

    def __init__(self, *, default: bool):
        super().__init__()
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = normalise(value).lower()
        if not text:
            return self.default
        if text in {"да", "1", "true", "yes", "+", "есть"}:
            return True
        if text in {"нет", "0", "false", "no", "-"}:
            return False
        raise ValueError(f"«{normalise(value)}»: ожидается «да» или «нет».")

    def render(self, value, obj=None, **kwargs):
        return "да" if value else "нет"


class SchoolCodesWidget(widgets.ManyToManyWidget):
    """Schools by their codes, separated by commas; an unknown code is a Russian ValueError
    (the stock widget would drop it silently)."""

    def __init__(self):
        super().__init__(Organization, separator=",", field="code")

    def clean(self, value, row=None, **kwargs):
        codes = [c.strip() for c in normalise(value).split(",") if c.strip()]
        found = {o.code: o for o in Organization.objects.schools().filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValueError(f"ОО с кодом {', '.join(f'«{c}»' for c in missing)} не найдена.")
        return [found[c] for c in codes]

    def render(self, value, obj=None, **kwargs):
        return ", ".join(o.code for o in value.all()) if value is not None else ""


class KeyInstanceLoader(BaseInstanceLoader):
    """Existing rows read once and found by the import id fields' cleaned values."""

    def get_instance(self, row):
        resource = self.resource
        if not hasattr(self, "instances"):
            id_fields = [resource.fields[n] for n in resource.get_import_id_fields()]
            self.id_fields = id_fields
            self.instances = {
                tuple(_key(getattr(obj, f.attribute)) for f in id_fields): obj
                for obj in resource.get_queryset()
            }
        try:
            key = tuple(_key(f.clean(row)) for f in self.id_fields)
        except (ValueError, KeyError):
            return None  # the row's own error is reported when its fields are imported
        return self.instances.get(key)


def _key(value):
    return getattr(value, "pk", value if value is not None else "")


class SheetResource(resources.ModelResource):
    """Empty rows dropped, foreign keys primed in one query, all errors of a row reported together."""

    def before_import(self, dataset, **kwargs):
        prepare_sheet(self, dataset)
        super().before_import(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        # Many-to-many cells are saved after the row; read them now so a bad code is an error of
        # the row with the others, not an exception that hides them.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=False):
        # Uniqueness is checked per row (a query each): a catalogue of hundreds of rows affords it,
        # and a repeated row then reads «… уже существует» instead of failing the database.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=list(errors))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def field(attribute: str, column: str, widget) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget)
