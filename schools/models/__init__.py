"""The schools app's models: organisations and people (organizations.py), the VPR campaign and
the schools' schedules (vpr.py). Import them from here: `from schools.models import VprSession`."""

from schools.models.organizations import (
    RUSSIAN_TIMEZONES,
    EducationAuthority,
    Membership,
    Municipality,
    Organization,
    OrganizationQuerySet,
    Region,
    School,
    UnobjectivityFlag,
)
from schools.models.vpr import VprCampaign, VprSession

__all__ = [
    "RUSSIAN_TIMEZONES",
    "EducationAuthority",
    "Membership",
    "Municipality",
    "Organization",
    "OrganizationQuerySet",
    "Region",
    "School",
    "UnobjectivityFlag",
    "VprCampaign",
    "VprSession",
]
