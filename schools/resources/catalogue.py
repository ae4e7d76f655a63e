"""Catalogues in and out of the admin with django-import-export: schools and users' memberships.

The traps of TECH-NOTES.md are handled once here (activities/resources.py reuses the pieces):
an unknown code or username is a per-row ValueError with a Russian message, not DoesNotExist;
spreadsheet values are normalised (107.0 → "107", datetime → date); empty rows, such as the
million LibreOffice leaves at the end of a sheet, are dropped; related rows and existing
instances are read once per import, so a 150-row file costs a handful of queries.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader

from schools.choices import LegalForm, OrgKind, Role, SchoolKind
from schools.models import Membership, Organization
from vprplan.importing import cell_value


def normalise(value):
    """A spreadsheet cell as text: 107.0 → "107", a date → "2024-04-18", None → ""."""
    value = cell_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise(value)


class YesNoWidget(widgets.Widget):
    """«да» / «нет» (or 1/0, true/false); empty means yes."""

    YES = {"", "1", "да", "true", "yes", "истина", "+"}
    NO = {"0", "нет", "false", "no", "ложь", "-"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = normalise(value).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"«{normalise(value)}»: ожидается «да» или «нет».")

    def render(self, value, obj=None, **kwargs):
        return "да" if value else "нет"


def text(name: str) -> fields.Field:
    return fields.Field(name, name, widget=TextWidget())


class ChoiceWidget(widgets.Widget):
    """A choice by its stored value or its label, either case; unknown → a Russian ValueError."""

    def __init__(self, choices, *, label: str, blank: bool = True, default: str = ""):
        super().__init__()
        self.choices, self.label, self.blank, self.default = choices, label, blank, default
        self.lookup = {}
        for value, name in choices.choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(name).lower()] = value

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            if self.blank:
                return self.default
            raise ValueError(f"Не указано: {self.label}.")
        try:
            return self.lookup[text.lower()]
        except KeyError:
            known = ", ".join(str(v) for v in self.choices.values)
            raise ValueError(f"{self.label}: «{text}» — нет такого значения (допустимо: {known}).") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural field (code, username), read once per import.

    `prime()` loads every value of the file's column in one query before the rows are imported;
    a value still missing afterwards is looked up once and remembered, found or not.
    """

    def __init__(self, model, field, *, message: str, queryset=None, **kwargs):
        super().__init__(model, field, **kwargs)
        self.message = message  # "Муниципалитет с кодом «{value}» не найден."
        self.base_queryset = queryset
        self.cache: dict[str, object] = {}

    def get_queryset(self, value, row, *args, **kwargs):
        return (self.base_queryset if self.base_queryset is not None else self.model.objects).all()

    def prime(self, values) -> None:
        wanted = {normalise(v) for v in values} - {""} - set(self.cache)
        if wanted:
            found = {
                str(getattr(o, self.field)): o
                for o in self.get_queryset(None, None).filter(**{f"{self.field}__in": wanted})
            }
            for value in wanted:
                self.cache[value] = found.get(value)

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        if text not in self.cache:
            self.prime([text])
        if self.cache[text] is None:
            raise ValueError(self.message.format(value=text))
        return self.cache[text]


class CachedInstanceLoader(BaseInstanceLoader):
    """Existing instances read in one query and found by the import id fields (any number of them),
    so an update costs no query per row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.id_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.instances = None

    @staticmethod
    def key(value):
        return getattr(value, "pk", value)

    def get_instance(self, row):
        if self.instances is None:
            self.instances = {
                tuple(self.key(getattr(obj, f.attribute)) for f in self.id_fields): obj
                for obj in self.resource.get_queryset()
            }
        try:
            key = tuple(self.key(f.clean(row)) for f in self.id_fields)
        except (ValueError, KeyError):
            return None  # the row's own error is reported when its fields are imported
        return self.instances.get(key)


def prepare_sheet(resource: resources.ModelResource, dataset) -> None:
    """Before an import: empty rows dropped, and the foreign keys of the file primed in one query
    per column (CachedForeignKeyWidget)."""
    for index in range(len(dataset) - 1, -1, -1):
        if not any(normalise(v) for v in dataset[index]):
            del dataset[index]
    for field in resource.fields.values():
        if isinstance(field.widget, CachedForeignKeyWidget) and field.column_name in (dataset.headers or []):
            field.widget.prime(dataset[field.column_name])


class CatalogueResource(resources.ModelResource):
    """The shared import behaviour: empty rows dropped, foreign keys primed, per-row validation
    without per-row queries (the instance loader already found existing rows; a key repeated in
    the file is a row error), and rows written in bulk (use_bulk in each Meta)."""

    def before_import(self, dataset, **kwargs):
        self.seen_keys: dict[tuple, int] = {}
        prepare_sheet(self, dataset)
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=False):
        errors = dict(import_validation_errors or {})
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        key = tuple(CachedInstanceLoader.key(getattr(instance, f.attribute, None)) for f in id_fields)
        first = self.seen_keys.setdefault(key, self.row_number)
        if first != self.row_number:
            errors.setdefault(id_fields[-1].attribute, []).append(f"Повтор строки {first} файла.")
        # Foreign keys come from the primed widgets as instances: checking that they exist again
        # would cost a query per row; uniqueness is the instance loader's job.
        relations = [f.name for f in instance._meta.fields if f.is_relation]
        try:
            instance.full_clean(
                exclude=[*errors, *relations], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:  # merged with the fields' own errors
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def municipality_widget() -> CachedForeignKeyWidget:
    return CachedForeignKeyWidget(
        Organization,
        "code",
        message="Муниципалитет с кодом «{value}» не найден.",
        queryset=Organization.objects.municipalities(),
    )


class SchoolResource(CatalogueResource):
    """Schools (ОО) by their code; `municipality` is the code of the municipality they belong to."""

    code = text("code")
    name = text("name")
    short_name = text("short_name")
    municipality = fields.Field("parent", "municipality", widget=municipality_widget())
    legal_form = fields.Field("legal_form", "legal_form", widget=ChoiceWidget(LegalForm, label="Форма"))
    school_kind = fields.Field("school_kind", "school_kind", widget=ChoiceWidget(SchoolKind, label="Тип ОО"))
    fis_oko_login = text("fis_oko_login")
    director_name = text("director_name")
    address = text("address")
    email = text("email")
    phone = text("phone")
    website = text("website")
    is_active = fields.Field("is_active", "is_active", widget=YesNoWidget())

    class Meta:
        model = Organization
        name = "Образовательные организации"
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "short_name",
            "municipality",
            "legal_form",
            "school_kind",
            "fis_oko_login",
            "director_name",
            "address",
            "email",
            "phone",
            "website",
            "is_active",
        ]
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        use_bulk = True
        batch_size = 500

    def get_queryset(self):
        return Organization.objects.schools().select_related("parent")

    def init_instance(self, row=None):
        return Organization(kind=OrgKind.SCHOOL)

    def before_save_instance(self, instance, row, **kwargs):
        # Rows are written in bulk, past Organization.save(): copy its denormalised ancestors here.
        parent = instance.parent
        instance.kind = OrgKind.SCHOOL
        if parent is not None:
            instance.region_id, instance.municipality_id = parent.region_id, parent.pk
            instance.timezone = parent.timezone

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        codes = [normalise(c) for c in dataset["code"]] if "code" in (dataset.headers or []) else []
        self.taken_codes = set(
            Organization.objects.exclude(kind=OrgKind.SCHOOL)
            .filter(code__in=codes)
            .values_list("code", flat=True)
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=False):
        errors = dict(import_validation_errors or {})
        if instance.code in getattr(self, "taken_codes", ()):
            errors["code"] = [f"Код «{instance.code}» уже занят регионом или муниципалитетом."]
        super().validate_instance(instance, errors)


def user_widget() -> CachedForeignKeyWidget:
    return CachedForeignKeyWidget(get_user_model(), "username", message="Пользователь «{value}» не найден.")


def organization_widget() -> CachedForeignKeyWidget:
    return CachedForeignKeyWidget(Organization, "code", message="Организация с кодом «{value}» не найдена.")


class MembershipResource(CatalogueResource):
    """Who holds which role where: username, organisation code, role (code or name), position."""

    user = fields.Field("user", "username", widget=user_widget())
    organization = fields.Field("organization", "organization", widget=organization_widget())
    role = fields.Field("role", "role", widget=ChoiceWidget(Role, label="Роль", blank=False))
    position = text("position")

    class Meta:
        model = Membership
        name = "Роли пользователей"
        import_id_fields = ["user", "organization", "role"]
        fields = ["user", "organization", "role", "position"]
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        use_bulk = True
        batch_size = 500

    def get_queryset(self):
        return Membership.objects.select_related("user", "organization")
