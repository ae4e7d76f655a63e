"""Spreadsheet imports and exports through django-import-export: the catalogue of organisations
and memberships (catalogue.py), the pieces a sheet import shares (sheets.py) and the VPR schedule
(schedule.py)."""

from schools.resources.catalogue import (
    CachedForeignKeyWidget,
    CachedInstanceLoader,
    CatalogueResource,
    ChoiceWidget,
    MembershipResource,
    SchoolResource,
    TextWidget,
    YesNoWidget,
    municipality_widget,
    normalise,
    organization_widget,
    text,
    user_widget,
)
from schools.resources.schedule import VprSessionResource
from schools.resources.sheets import (
    FlagWidget,
    KeyInstanceLoader,
    NumberWidget,
    SchoolCodesWidget,
    SheetDateWidget,
    SheetResource,
    SheetTimeWidget,
    field,
)

__all__ = [
    "CachedForeignKeyWidget",
    "CachedInstanceLoader",
    "CatalogueResource",
    "ChoiceWidget",
    "FlagWidget",
    "KeyInstanceLoader",
    "MembershipResource",
    "NumberWidget",
    "SchoolCodesWidget",
    "SchoolResource",
    "SheetDateWidget",
    "SheetResource",
    "SheetTimeWidget",
    "TextWidget",
    "VprSessionResource",
    "YesNoWidget",
    "field",
    "municipality_widget",
    "normalise",
    "organization_widget",
    "text",
    "user_widget",
]
