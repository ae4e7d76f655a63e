"""Reads of organisations and unobjectivity flags, scoped by the user (vprplan.access).

Who sees what:
- an «area» page (a municipality's or a region's flags, results and markers): the municipal staff
  of that municipality (head, coordinator, specialist) and the region's administrator;
- flags: those readers, and a school coordinator his own school's flags (they decide his tasks);
- flags are set and imported by the municipal coordinator and the regional administrator.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from schools.choices import OrgKind
from schools.models import Organization, UnobjectivityFlag
from vprplan import access

# The capabilities by their older names, for the import code that still speaks of them.
AREA_READERS = access.READ_AREAS
FLAG_EDITORS = access.EDIT_FLAGS


def area_for_user(*, user, code: str, roles_=access.READ_AREAS) -> Organization:
    """A municipality or region the user holds one of `roles_` over, or 404."""
    return get_object_or_404(
        Organization.objects.filter(
            access.managed_q(user, roles_=roles_), kind__in=(OrgKind.MUNICIPALITY, OrgKind.REGION)
        ),
        code=code,
    )


def managed_organizations(user, *, roles_=access.MANAGE) -> QuerySet[Organization]:
    """The organisations the user manages with `roles_` (a capability of vprplan.access)."""
    return Organization.objects.filter(access.managed_q(user, roles_=roles_))


def can_edit_flags(user, area: Organization) -> bool:
    return Organization.objects.filter(access.managed_q(user, roles_=access.EDIT_FLAGS), pk=area.pk).exists()


def area_schools(area: Organization) -> QuerySet[Organization]:
    """The schools of a municipality or a region (an area the caller has already scoped)."""
    scope = {"region_id": area.pk} if area.kind == OrgKind.REGION else {"municipality_id": area.pk}
    return Organization.objects.schools().filter(**scope)


def flags_for_user(*, user) -> QuerySet[UnobjectivityFlag]:
    """Flags the user may read: of the schools he manages (a school coordinator: his own)."""
    return UnobjectivityFlag.objects.filter(access.managed_q(user, "school")).select_related("school")


def area_flags(*, user, area: Organization, year: int | None = None) -> QuerySet[UnobjectivityFlag]:
    flags = flags_for_user(user=user).filter(school__in=area_schools(area))
    if year:
        flags = flags.filter(year=year)
    return flags.order_by("-year", "school__name", "source")
