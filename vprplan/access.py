"""Row-level scoping: who may see which organisation's data.

Every selector builds its queryset from these helpers, so the rule lives in one place (NetBox's
`RestrictedQuerySet.restrict`). A user's memberships are read once per request and cached on the
user object. Objects outside the scope are simply absent from the queryset: views answer 404.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from schools.choices import MUNICIPAL_STAFF, OrgKind, Role
from schools.models import Membership, Organization

ALL_ROLES = frozenset(Role)
# Roles that manage an organisation's data (everything below it), as opposed to the observer,
# who sees only what is published and what is assigned to him.
MANAGING_ROLES = frozenset({Role.REGIONAL_ADMIN, Role.SCHOOL_COORDINATOR, *MUNICIPAL_STAFF})


def memberships(user) -> list[Membership]:
    """The user's memberships with their organisations, read once per user object."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    cached = getattr(user, "_vprplan_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, organization__is_active=True).select_related("organization")
        )
        user._vprplan_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def _within_q(field: str, org: Organization) -> Q:
    """`field` (a path to an Organization) points at `org` or at something below it."""
    if org.pk is None:  # `municipality_id=None` would be IS NULL: every municipality. Fail closed.
        return NOTHING
    prefix = f"{field}__" if field else ""
    if org.kind == OrgKind.REGION:
        return Q(**{f"{prefix}pk": org.pk}) | Q(**{f"{prefix}region_id": org.pk})
    if org.kind == OrgKind.MUNICIPALITY:
        return Q(**{f"{prefix}pk": org.pk}) | Q(**{f"{prefix}municipality_id": org.pk})
    return Q(**{f"{prefix}pk": org.pk})


def _ancestors_q(field: str, org: Organization) -> Q:
    """`field` points at `org` or one of its ancestors (a school's municipality and region)."""
    prefix = f"{field}__" if field else ""
    ids = [pk for pk in (org.pk, org.municipality_id, org.region_id) if pk]
    if org.kind == OrgKind.MUNICIPALITY:
        ids = [org.pk, org.region_id]
    return Q(**{f"{prefix}pk__in": [pk for pk in ids if pk]})


NOTHING = Q(pk__in=[])


def managed_q(user, field: str = "", *, roles_: Iterable[str] = MANAGING_ROLES) -> Q:
    """Organisations (through `field`) that the user manages with one of `roles_`."""
    wanted = set(roles_)
    q = NOTHING
    for m in memberships(user):
        if m.role in wanted:
            q |= _within_q(field, m.organization)
    return q


def context_q(user, field: str = "") -> Q:
    """Organisations whose published documents the user works under: his own and their parents."""
    q = NOTHING
    for m in memberships(user):
        q |= _ancestors_q(field, m.organization)
    return q


def regions_of(user) -> set[int]:
    """The ids of the regions the user works in, whatever his role there."""
    return {m.organization.region_id or m.organization.pk for m in memberships(user)}


def holds_role_in(user, organization_id: int, roles_: Iterable[str]) -> bool:
    """The user holds one of `roles_` in exactly this organisation (a seat above it does not count)."""
    wanted = set(roles_)
    return any(m.role in wanted and m.organization_id == organization_id for m in memberships(user))


# Who reads a school's or an authority's work (executions and their evidence): the people who
# manage that organisation. The specialist is the exception: he reads only the work of the
# activities that name him.
EXECUTION_READER_ROLES = frozenset(
    {Role.REGIONAL_ADMIN, Role.HEAD, Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR}
)


def work_q(user, field: str = "organization", *, named: Q) -> Q:
    """Work done by organisations (through `field`) that the user reads: what he manages with
    EXECUTION_READER_ROLES, and, as a specialist, what `named` says names him (the caller's
    condition, since what names a person belongs to the activities app)."""
    q = managed_q(user, field, roles_=EXECUTION_READER_ROLES)
    if has_role(user, Role.SPECIALIST):
        q |= managed_q(user, field, roles_={Role.SPECIALIST}) & named
    return q


def managed_organizations(user, *, roles_: Iterable[str] = MANAGING_ROLES):
    return Organization.objects.filter(managed_q(user, roles_=roles_))


def user_organizations(user) -> list[Organization]:
    """The organisations the user holds a role in, without repeats, in membership order."""
    seen: dict[int, Organization] = {}
    for m in memberships(user):
        seen.setdefault(m.organization_id, m.organization)
    return list(seen.values())


# Who keeps an organisation's own plans (creates, edits, imports, submits for approval) and who
# approves them. A municipal coordinator keeps the municipality's plan, not its schools' plans.
PLAN_EDITOR_ROLES = frozenset({Role.REGIONAL_ADMIN, Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR})
PLAN_APPROVER_ROLES = frozenset({Role.REGIONAL_ADMIN, Role.HEAD, Role.SCHOOL_COORDINATOR})


def plan_owners(user, *, roles_: Iterable[str] = PLAN_EDITOR_ROLES) -> list[Organization]:
    """The organisations whose plans the user keeps (or, with PLAN_APPROVER_ROLES, approves)."""
    wanted = set(roles_)
    seen: dict[int, Organization] = {}
    for m in memberships(user):
        if m.role in wanted:
            seen.setdefault(m.organization_id, m.organization)
    return list(seen.values())


def can_edit_plans_of(user, organization: Organization) -> bool:
    return any(o.pk == organization.pk for o in plan_owners(user))


def can_approve_plans_of(user, organization: Organization) -> bool:
    return any(o.pk == organization.pk for o in plan_owners(user, roles_=PLAN_APPROVER_ROLES))
