"""The responsible-role catalogue in and out of the admin (django-import-export).

`owner` is the code of the organisation whose catalogue holds the role; empty for the shared
catalogue. The import pieces (cached keys, Russian errors, empty rows) are schools.resources'.
"""

from import_export import fields

from activities.choices import ExecutionLevel
from activities.models import ResponsibleRole
from schools.choices import Role
from schools.models import Organization
from schools.resources import (
    CachedForeignKeyWidget,
    CachedInstanceLoader,
    CatalogueResource,
    ChoiceWidget,
    text,
)


class ResponsibleRoleResource(CatalogueResource):
    name = text("name")
    acting_role = fields.Field(
        "acting_role", "acting_role", widget=ChoiceWidget(Role, label="Кто исполняет в системе")
    )
    level = fields.Field(
        "level",
        "level",
        widget=ChoiceWidget(ExecutionLevel, label="Уровень", default=ExecutionLevel.AUTHORITY),
    )
    owner = fields.Field(
        "owner",
        "owner",
        widget=CachedForeignKeyWidget(
            Organization, "code", message="Организация с кодом «{value}» не найдена."
        ),
    )

    class Meta:
        model = ResponsibleRole
        name = "Ответственные роли"
        import_id_fields = ["owner", "name"]
        fields = ["name", "acting_role", "level", "owner"]
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        use_bulk = True
        batch_size = 500

    def get_queryset(self):
        return ResponsibleRole.objects.select_related("owner")
