"""The observers' registry and the schools' VPR schedule through django-import-export.

The traps of TECH-NOTES.md: an unknown code is a per-row Russian ValueError (never DoesNotExist),
openpyxl's datetimes become dates (else a re-import never counts as unchanged), empty rows are
dropped, related rows and existing instances are read once per file. The schedule's resource is
made for one campaign and the schools the importing user keeps: a row of any other school is an
error of that row, not a write outside his scope.
"""

import re
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader

from observers.choices import ObserverKind
from observers.models import Observer
from schools.models import Organization, VprCampaign, VprSession
from schools.models.vpr import SessionForm
from schools.resources import CachedForeignKeyWidget, ChoiceWidget, TextWidget, normalise


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
        for index in range(len(dataset) - 1, -1, -1):
            if not any(normalise(v) for v in dataset[index]):
                del dataset[index]
        for field in self.fields.values():
            if isinstance(field.widget, CachedForeignKeyWidget) and field.column_name in (
                dataset.headers or []
            ):
                field.widget.prime(dataset[field.column_name])
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


def _field(attribute: str, column: str, widget) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


class VprSessionResource(SheetResource):
    """A school's VPR schedule, one row per work; rows are matched by school, subject, grade and
    class letters, so a re-imported file updates dates and auditoriums instead of doubling rows."""

    school = _field("school", "Код ОО", None)
    subject = _field("subject", "Предмет", TextWidget())
    grade = _field("grade", "Класс", NumberWidget(label="Класс"))
    class_letters = _field("class_letters", "Литеры", TextWidget())
    date = _field("date", "Дата", SheetDateWidget(label="Дата"))
    starts_at = _field("starts_at", "Начало", SheetTimeWidget(label="Начало"))
    ends_at = _field("ends_at", "Окончание", SheetTimeWidget(label="Окончание"))
    form = _field("form", "Форма", ChoiceWidget(SessionForm, label="Форма", default=SessionForm.PAPER))
    auditoriums = _field("auditoriums", "Аудитории", TextWidget())
    participants = _field("participants", "Участников", NumberWidget(label="Участников", default=0))
    note = _field("note", "Примечание", TextWidget())

    class Meta:
        model = VprSession
        name = "График ВПР"
        import_id_fields = ["school", "subject", "grade", "class_letters"]
        fields = ["school", "subject", "grade", "class_letters", "date", "starts_at", "ends_at", "form",
                  "auditoriums", "participants", "note"]  # fmt: skip
        instance_loader_class = KeyInstanceLoader
        skip_unchanged = True
        report_skipped = True
        store_row_values = True

    def __init__(self, *, campaign: VprCampaign | None = None, schools=None, **kwargs):
        super().__init__(**kwargs)
        self.campaign = campaign
        self.schools = schools if schools is not None else Organization.objects.schools()
        self.fields["school"].widget = CachedForeignKeyWidget(
            Organization, "code", message="ОО с кодом «{value}» нет среди ваших ОО.", queryset=self.schools
        )

    def get_queryset(self):
        found = VprSession.objects.filter(school__in=self.schools).select_related("school", "campaign")
        return found.filter(campaign=self.campaign) if self.campaign else found

    def init_instance(self, row=None):
        return VprSession(campaign=self.campaign)

    def after_save_instance(self, instance, row, **kwargs):
        # A moved session must still suit the observers already assigned to it.
        from observers.choices import ACTIVE_STATUSES
        from observers.services import assignment_problems

        for assignment in instance.assignments.filter(status__in=ACTIVE_STATUSES).select_related("observer"):
            problems = assignment_problems(assignment)
            if problems:
                raise ValidationError(
                    {"date": f"Назначен наблюдатель {assignment.observer}: {' '.join(problems)}"}
                )


class ObserverResource(SheetResource):
    """The municipality's registry of observers; rows are matched by municipality and full name."""

    municipality = _field(
        "municipality",
        "municipality",
        CachedForeignKeyWidget(
            Organization,
            "code",
            message="Муниципалитет с кодом «{value}» не найден.",
            queryset=Organization.objects.municipalities(),
        ),
    )
    full_name = _field("full_name", "full_name", TextWidget())
    kind = _field("kind", "kind", ChoiceWidget(ObserverKind, label="Статус наблюдателя", blank=False))
    organization_name = _field("organization_name", "organization_name", TextWidget())
    workplace_school = _field(
        "workplace_school",
        "workplace_school",
        CachedForeignKeyWidget(
            Organization,
            "code",
            message="ОО с кодом «{value}» не найдена.",
            queryset=Organization.objects.schools(),
        ),
    )
    children_schools = _field("children_schools", "children_schools", SchoolCodesWidget())
    phone = _field("phone", "phone", TextWidget())
    email = _field("email", "email", TextWidget())
    accreditation_number = _field("accreditation_number", "accreditation_number", TextWidget())
    accreditation_date = _field(
        "accreditation_date", "accreditation_date", SheetDateWidget(label="Дата аккредитации")
    )
    accreditation_issued_by = _field("accreditation_issued_by", "accreditation_issued_by", TextWidget())
    trained_on = _field("trained_on", "trained_on", SheetDateWidget(label="Дата обучения"))
    consent_given = _field("consent_given", "consent_given", FlagWidget(default=False))
    consent_date = _field("consent_date", "consent_date", SheetDateWidget(label="Дата согласия"))
    user = _field(
        "user",
        "user",
        CachedForeignKeyWidget(get_user_model(), "username", message="Пользователь «{value}» не найден."),
    )
    is_active = _field("is_active", "is_active", FlagWidget(default=True))
    note = _field("note", "note", TextWidget())

    class Meta:
        model = Observer
        name = "Общественные наблюдатели"
        import_id_fields = ["municipality", "full_name"]
        fields = ["municipality", "full_name", "kind", "organization_name", "workplace_school", "children_schools",
                  "phone", "email", "accreditation_number", "accreditation_date", "accreditation_issued_by",
                  "trained_on", "consent_given", "consent_date", "user", "is_active", "note"]  # fmt: skip
        instance_loader_class = KeyInstanceLoader
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Observer.objects.select_related("municipality", "workplace_school", "user").prefetch_related(
            "children_schools"
        )
