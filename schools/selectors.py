"""Reads of organisations and unobjectivity flags, scoped by the user (vprplan.access).

Who sees what:
- an «area» page (a municipality's or a region's flags, results and markers): the municipal staff
  of that municipality (head, coordinator, specialist) and the region's administrator;
- flags: those readers, and a school coordinator his own school's flags (they decide his tasks);
- flags are set and imported by the municipal coordinator and the regional administrator;
- the VPR schedule: every managing role over its organisations (a school coordinator: his
  school); it is entered by the school coordinator, the municipal coordinator and the regional
  administrator.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from schools.choices import OrgKind
from schools.models import Organization, UnobjectivityFlag, VprCampaign, VprSession
from vprplan import access


def area_for_user(*, user, code: str, roles_=access.READ_AREAS) -> Organization:
    """A municipality or region the user holds one of `roles_` over, or 404."""
    return get_object_or_404(
        Organization.objects.filter(
            access.managed_q(user, roles_=roles_), kind__in=(OrgKind.MUNICIPALITY, OrgKind.REGION)
        ),
        code=code,
    )


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


def area_municipalities(*, user, region_id: int | None = None) -> QuerySet[Organization]:
    """The municipalities whose area pages the user reads (of one region, if given)."""
    found = Organization.objects.municipalities().filter(access.managed_q(user, roles_=access.READ_AREAS))
    if region_id is not None:
        found = found.filter(region_id=region_id)
    return found.order_by("name")


# The VPR schedule --------------------------------------------------------------------------------


def campaigns_for_user(*, user) -> QuerySet[VprCampaign]:
    """The campaigns of the regions the user works in, newest first."""
    return (
        VprCampaign.objects.filter(region_id__in=access.regions_of(user))
        .select_related("region")
        .order_by("-year")
    )


def campaign_for_user(*, user, pk: int) -> VprCampaign:
    return get_object_or_404(campaigns_for_user(user=user), pk=pk)


def sessions_for_user(*, user, campaign: VprCampaign) -> QuerySet[VprSession]:
    return (
        VprSession.objects.filter(
            access.managed_q(user, "school", roles_=access.READ_SCHEDULE), campaign=campaign
        )
        .select_related("school", "campaign")
        .order_by("school__name", "date", "starts_at", "grade", "subject")
    )


def editable_sessions(*, user) -> QuerySet[VprSession]:
    return VprSession.objects.filter(
        access.managed_q(user, "school", roles_=access.EDIT_SCHEDULE)
    ).select_related("school", "campaign", "campaign__region")


def schedule_schools(*, user, campaign: VprCampaign) -> QuerySet[Organization]:
    """The schools whose schedule the user enters in this campaign."""
    return (
        Organization.objects.schools()
        .filter(access.managed_q(user, roles_=access.EDIT_SCHEDULE), region_id=campaign.region_id, is_active=True)
        .order_by("name")
    )


def readable_schools(*, user, campaign: VprCampaign) -> QuerySet[Organization]:
    return (
        Organization.objects.schools()
        .filter(access.managed_q(user, roles_=access.READ_SCHEDULE), region_id=campaign.region_id)
        .order_by("name")
    )
