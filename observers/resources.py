"""The observers' registry through django-import-export (the sheet pieces are schools.resources':
an unknown code is a per-row Russian ValueError, never DoesNotExist; related rows and existing
instances are read once per file)."""

from django.contrib.auth import get_user_model

from observers.choices import ObserverKind
from observers.models import Observer
from schools.models import Organization
from schools.resources import (
    CachedForeignKeyWidget,
    ChoiceWidget,
    FlagWidget,
    KeyInstanceLoader,
    SchoolCodesWidget,
    SheetDateWidget,
    SheetResource,
    TextWidget,
)
from schools.resources import field as _field


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
