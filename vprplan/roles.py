"""The vocabulary of roles and organisation kinds: the ground every app and `access` stand on.

The organisations and memberships themselves are models of `schools`; these choices are kept here so
that the shared pieces (access, audit) can speak of roles without importing an app.
"""

from django.db import models


class OrgKind(models.TextChoices):
    REGION = "region", "регион"
    MUNICIPALITY = "municipality", "муниципалитет"
    SCHOOL = "school", "образовательная организация"


class Role(models.TextChoices):
    """What a user does in an organisation (DESIGN.md §1)."""

    REGIONAL_ADMIN = "regional_admin", "Региональный администратор"
    HEAD = "head", "Руководитель органа управления образованием"
    MUNICIPAL_COORDINATOR = "municipal_coordinator", "Муниципальный координатор ВПР"
    SPECIALIST = "specialist", "Ответственный специалист"
    SCHOOL_COORDINATOR = "school_coordinator", "Школьный координатор ВПР / руководитель ОО"
    OBSERVER = "observer", "Общественный наблюдатель"


# Which kind of organisation each role is held in.
ROLE_ORG_KIND = {
    Role.REGIONAL_ADMIN: OrgKind.REGION,
    Role.HEAD: OrgKind.MUNICIPALITY,
    Role.MUNICIPAL_COORDINATOR: OrgKind.MUNICIPALITY,
    Role.SPECIALIST: OrgKind.MUNICIPALITY,
    Role.SCHOOL_COORDINATOR: OrgKind.SCHOOL,
    Role.OBSERVER: OrgKind.MUNICIPALITY,
}

MUNICIPAL_STAFF = frozenset({Role.HEAD, Role.MUNICIPAL_COORDINATOR, Role.SPECIALIST})
