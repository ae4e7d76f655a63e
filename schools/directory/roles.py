"""Roles from the directory: the (organisation, role) pairs named in LDAP_ROLE_MAP / OIDC_ROLE_MAP
follow the user's directory groups (claim values) at every login; every other role is given and
taken in vprplan only. Each change is audited with the group it came from."""

import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from schools.choices import ROLE_ORG_KIND
from schools.models import Membership, Organization
from vprplan.audit import audit
from vprplan.audit_actions import AuditAction
from vprplan.security import acting_as

logger = logging.getLogger(__name__)

RoleMap = dict[str, tuple[tuple[str, str], ...]]


@dataclass
class RoleSync:
    granted: list[tuple[str, str]] = field(default_factory=list)
    revoked: list[tuple[str, str]] = field(default_factory=list)
    # Pairs the map names whose organisation does not exist or does not hold that role.
    unusable: list[tuple[str, str]] = field(default_factory=list)


def _organizations(pairs: set[tuple[str, str]]) -> dict[str, Organization]:
    return {o.code: o for o in Organization.objects.filter(code__in={code for code, _ in pairs})}


@transaction.atomic
def sync_directory_roles(
    *, user: AbstractBaseUser, source: str, groups: list[str], role_map: RoleMap
) -> RoleSync:
    """Give `user` the mapped roles of his `groups` and take away the mapped roles he no longer has
    a group for. `source` is «ldap» or «oidc» (for the audit)."""
    result = RoleSync()
    if not role_map:
        return result
    managed = {pair for pairs in role_map.values() for pair in pairs}
    wanted: dict[tuple[str, str], str] = {}  # pair → the group that gives it
    for group in groups:
        for pair in role_map.get(str(group).strip().lower(), ()):
            wanted.setdefault(pair, group)
    with acting_as(None):  # these changes are audited here, as the directory's, not the signals'
        _apply(user=user, source=source, wanted=wanted, managed=managed, result=result)
    return result


def _apply(*, user, source: str, wanted: dict, managed: set, result: RoleSync) -> None:
    organizations = _organizations(managed)
    held = {
        (m.organization.code, m.role): m
        for m in Membership.objects.filter(user=user, organization__code__in=list(organizations))
        .select_related("organization")
        .select_for_update()
    }
    for pair, group in sorted(wanted.items()):
        organization = organizations.get(pair[0])
        if organization is None or ROLE_ORG_KIND.get(pair[1]) != organization.kind:
            logger.warning("%s: role map entry %s:%s names no such organisation or role", source, *pair)
            result.unusable.append(pair)
            continue
        if pair in held:
            continue
        membership = Membership.objects.create(user=user, organization=organization, role=pair[1])
        audit(
            None,
            AuditAction.MEMBERSHIP_DIRECTORY_GRANTED,
            membership,
            organization=organization,
            user=user.get_username(),
            user_id=user.pk,
            role=pair[1],
            source=source,
            group=group,
        )
        result.granted.append(pair)
    for pair, membership in sorted(held.items()):
        if pair in managed and pair not in wanted:
            data = {"user": user.get_username(), "user_id": user.pk, "role": pair[1], "source": source}
            audit(
                None,
                AuditAction.MEMBERSHIP_DIRECTORY_REVOKED,
                membership,
                organization=membership.organization,
                **data,
            )
            membership.delete()
            result.revoked.append(pair)
