"""Who may do what, and row-level scoping: who may see which organisation's data.

Every permission of the project is a named `Capability` defined here, once: the roles that hold
it, whether it holds only in the membership's own organisation (`seat`) or there and in what lies
below it, and the words a refused user reads. Views declare the capability they need
(vprplan.actions.CapabilityRequiredMixin), services check it again for their actor (`require`),
selectors scope their querysets with `managed_q(user, field, roles_=CAPABILITY)`
(NetBox's `RestrictedQuerySet.restrict`). No role set is spelled anywhere else
(tests/vprplan/test_role_sets.py).

A user's memberships are read once per request and cached on the user object. Objects outside the
scope are simply absent from the queryset: views answer 404. This module imports no app: the
memberships are read through the user's reverse relation (`schools.Membership.user`,
related_name «memberships»).
"""

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q

from vprplan.errors import NotAllowed
from vprplan.roles import MUNICIPAL_STAFF, OrgKind, Role
from vprplan.statements import Read, Table


@dataclass(frozen=True)
class Capability:
    """A permission: the roles that hold it. `seat`: only in the organisation the role is held in
    (a seat above it does not count); otherwise there and in everything below it. `action`: what
    it allows, in Russian, as an infinitive («утверждать планы»), for the refusal message.
    Iterating a capability gives its roles, so it stands wherever a role set did."""

    name: str
    roles: frozenset[str]
    action: str
    seat: bool = False

    def __iter__(self) -> Iterator[str]:
        return iter(self.roles)

    def __contains__(self, role: object) -> bool:
        return role in self.roles

    @property
    def refusal(self) -> str:
        return f"У вас нет права {self.action}."


# The capabilities ---------------------------------------------------------------------------------

# Manage an organisation's data (everything below it), as opposed to the observer, who sees only
# what is published and what is assigned to him.
MANAGE = Capability(
    "manage",
    frozenset({Role.REGIONAL_ADMIN, Role.SCHOOL_COORDINATOR, *MUNICIPAL_STAFF}),
    "работать с данными этой организации",
)
# Read a school's or an authority's work (executions and their evidence): the people who manage
# that organisation. The specialist is the exception: he reads only the work of the activities
# that name him (work_q).
READ_WORK = Capability(
    "read_work",
    frozenset({Role.REGIONAL_ADMIN, Role.HEAD, Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR}),
    "просматривать выполнение мероприятий",
)
READ_NAMED_WORK = Capability(
    "read_named_work", frozenset({Role.SPECIALIST}), "просматривать выполнение мероприятий, где он назван"
)
# Have tasks to tick off («Мои задачи», the deadline calendar). Which executions are whose is
# activities.selectors.tasks_for_user.
READ_TASKS = Capability(
    "read_tasks",
    frozenset({Role.SCHOOL_COORDINATOR, Role.SPECIALIST, Role.MUNICIPAL_COORDINATOR, Role.REGIONAL_ADMIN}),
    "отмечать выполнение мероприятий",
)
# Tick off every execution of one's own organisation (the others' tasks are selected: the
# specialist's by name, the municipal coordinator's by his role in the activity).
COMPLETE_ALL_WORK = Capability(
    "complete_all_work",
    frozenset({Role.SCHOOL_COORDINATOR, Role.REGIONAL_ADMIN}),
    "отмечать выполнение всех мероприятий организации",
    seat=True,
)
# Review the schools' reported work: the municipal coordinator of the school's municipality, the
# regional administrator for a regional plan (activities.selectors.can_review).
REVIEW_WORK = Capability(
    "review_work",
    frozenset({Role.MUNICIPAL_COORDINATOR, Role.REGIONAL_ADMIN}),
    "проверять отчёты о выполнении",
)
# Follow plans' progress (the dashboard: schools × activities, overdue, reviews).
READ_DASHBOARD = Capability(
    "read_dashboard",
    frozenset({Role.REGIONAL_ADMIN, Role.HEAD, Role.MUNICIPAL_COORDINATOR}),
    "просматривать ход выполнения планов",
)
# The regional overview: the municipalities of one's region.
READ_REGIONS = Capability(
    "read_regions", frozenset({Role.REGIONAL_ADMIN}), "просматривать сводку по региону", seat=True
)
# The home page's task and dashboard cards: the regional administrator's home shows his regions'
# cards instead (activities/home.py).
HOME_TASKS = Capability("home_tasks", READ_TASKS.roles - READ_REGIONS.roles, READ_TASKS.action)
HOME_DASHBOARD = Capability("home_dashboard", READ_DASHBOARD.roles - READ_REGIONS.roles, READ_DASHBOARD.action)
# Keep an organisation's own plans (create, edit, import, submit for approval) and approve them.
# A municipal coordinator keeps the municipality's plan, not its schools' plans.
EDIT_PLANS = Capability(
    "edit_plans",
    frozenset({Role.REGIONAL_ADMIN, Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR}),
    "вести планы этой организации",
    seat=True,
)
APPROVE_PLANS = Capability(
    "approve_plans",
    frozenset({Role.REGIONAL_ADMIN, Role.HEAD, Role.SCHOOL_COORDINATOR}),
    "утверждать планы этой организации",
    seat=True,
)
# Orders: read the register of an authority and those below it; prepare one (who keeps or
# approves the plan); sign one (the approver, of a municipality: reports.orders.selectors.can_sign).
READ_ORDERS = Capability(
    "read_orders",
    frozenset({Role.REGIONAL_ADMIN, Role.HEAD, Role.MUNICIPAL_COORDINATOR}),
    "просматривать приказы",
)
PREPARE_ORDERS = Capability(
    "prepare_orders", EDIT_PLANS.roles | APPROVE_PLANS.roles, "готовить приказы этой организации", seat=True
)
SIGN_ORDERS = Capability("sign_orders", APPROVE_PLANS.roles, "подписывать приказы этой организации", seat=True)
# The VPR schedule: read by every managing role over its organisations, entered by the school
# coordinator, the municipal coordinator and the regional administrator.
READ_SCHEDULE = Capability("read_schedule", MANAGE.roles, "просматривать график ВПР")
EDIT_SCHEDULE = Capability(
    "edit_schedule",
    frozenset({Role.REGIONAL_ADMIN, Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR}),
    "вносить график ВПР",
)
# Observers: the registry with contacts is the municipal staff's (their own municipality); the
# municipal coordinator keeps it and assigns; the board, coverage and «График распределения» are
# read by the municipal staff and the regional administrator; the scans of acts by the staff.
READ_OBSERVERS = Capability("read_observers", MUNICIPAL_STAFF, "просматривать реестр наблюдателей", seat=True)
MANAGE_OBSERVERS = Capability(
    "manage_observers",
    frozenset({Role.MUNICIPAL_COORDINATOR}),
    "вести реестр наблюдателей и назначать их",
    seat=True,
)
READ_OBSERVER_REPORTS = Capability(
    "read_observer_reports",
    frozenset({Role.REGIONAL_ADMIN, *MUNICIPAL_STAFF}),
    "просматривать распределение наблюдателей",
)
READ_SCANS = Capability("read_scans", MUNICIPAL_STAFF, "просматривать сканы актов наблюдения")
OBSERVE = Capability("observe", frozenset({Role.OBSERVER}), "заполнять акты наблюдения")
# Areas (a municipality's or a region's flags, results and markers): the municipal staff and the
# region's administrator read them; the municipal coordinator and the administrator set flags.
READ_AREAS = Capability(
    "read_areas", frozenset({Role.REGIONAL_ADMIN, *MUNICIPAL_STAFF}), "просматривать результаты ВПР"
)
EDIT_FLAGS = Capability(
    "edit_flags",
    frozenset({Role.REGIONAL_ADMIN, Role.MUNICIPAL_COORDINATOR}),
    "отмечать признаки необъективности",
)
# The journal of actions (the audit log) of one's organisation and what is below it.
READ_JOURNAL = Capability(
    "read_journal", frozenset({Role.REGIONAL_ADMIN, Role.HEAD}), "просматривать журнал действий"
)

CAPABILITIES = {
    c.name: c
    for c in (
        MANAGE, READ_WORK, READ_NAMED_WORK, READ_TASKS, COMPLETE_ALL_WORK, REVIEW_WORK, READ_DASHBOARD, READ_REGIONS,
        HOME_TASKS, HOME_DASHBOARD, EDIT_PLANS, APPROVE_PLANS, READ_ORDERS, PREPARE_ORDERS, SIGN_ORDERS,
        READ_SCHEDULE, EDIT_SCHEDULE, READ_OBSERVERS, MANAGE_OBSERVERS, READ_OBSERVER_REPORTS, READ_SCANS,
        OBSERVE, READ_AREAS, EDIT_FLAGS, READ_JOURNAL,
    )
}  # fmt: skip

# The role sets by their older names, for the readers of access that speak of roles.
ALL_ROLES = frozenset(Role)
MANAGING_ROLES = MANAGE.roles
EXECUTION_READER_ROLES = READ_WORK.roles
PLAN_EDITOR_ROLES = EDIT_PLANS.roles
PLAN_APPROVER_ROLES = APPROVE_PLANS.roles


# Memberships ---------------------------------------------------------------------------------------


def memberships(user) -> list:
    """The user's memberships (schools.Membership) with their organisations, read once per user
    object."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_vprplan_memberships", None)
    if cached is None:  # a user not read by user_with_memberships (a lazy user's class is his own)
        cached = user._vprplan_memberships = _of(_membership_read(user.__class__).rows([user.pk]), user)
    return cached


def user_with_memberships(user_model, user_id):
    """The user `user_id` with his memberships (`memberships`) read in the same query, or None.

    Every request with a session reads its user (vprplan.userstore), and the first permission
    check his memberships: one query instead of two. A user with no membership is read alone."""
    rows = _membership_read(user_model).rows([user_id])
    if not rows:
        user = user_model._default_manager.filter(pk=user_id).first()
        if user is not None:
            user._vprplan_memberships = []
        return user
    user = rows[0][2]  # one object for all of them, as the user's own memberships
    user._vprplan_memberships = _of(rows, user)
    return user


def _of(rows, user) -> list:
    """The memberships of `_membership_read`'s rows, each with its organisation and `user`."""
    for membership, organization, _ in rows:
        membership.organization = organization
        membership.user = user
    return [membership for membership, _, _ in rows]


@functools.cache
def _membership_read(user_model) -> Read:
    """The user's memberships in active organisations, with the organisation and the user, as a
    statement written once (vprplan.statements: the ORM spent four to five times as long building
    this query as running it). The models come from the relation: the ground imports no app."""
    membership = user_model.memberships.field.model
    organization = membership._meta.get_field("organization").related_model
    return Read(
        Table(membership, "m"),
        Table(organization, "o"),
        Table(user_model, "u"),
        rest="FROM {m} JOIN {o} ON o.id = m.organization_id JOIN {u} ON u.id = m.user_id "
        "WHERE m.user_id = %s AND o.is_active",
    )


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def _covers(seat, org) -> bool:
    """`org` is the organisation `seat` or lies below it (in Python, as `_within_q` in SQL)."""
    if org.pk is None:
        return False
    if org.pk == seat.pk:
        return True
    if seat.kind == OrgKind.REGION:
        return org.region_id == seat.pk
    if seat.kind == OrgKind.MUNICIPALITY:
        return org.municipality_id == seat.pk
    return False


def can(user, capability: Capability, organization=None) -> bool:
    """The user holds `capability`: anywhere (no `organization`), or over `organization` (in it,
    or, unless the capability is a seat's, in an organisation above it)."""
    if organization is None:
        return any(m.role in capability.roles for m in memberships(user))
    if capability.seat:
        return holds_role_in(user, organization.pk, capability.roles)
    return any(m.role in capability.roles and _covers(m.organization, organization) for m in memberships(user))


def require(actor, capability: Capability, organization=None, *, message: str = "") -> None:
    """A service's second check of its actor: raise NotAllowed (a DomainError the action views turn
    into a message) unless `actor` holds `capability` (over `organization`)."""
    if not can(actor, capability, organization):
        raise NotAllowed(message or capability.refusal)


# Scoping ---------------------------------------------------------------------------------------------


def _within_q(field: str, org) -> Q:
    """`field` (a path to an Organization) points at `org` or at something below it."""
    if org.pk is None:  # `municipality_id=None` would be IS NULL: every municipality. Fail closed.
        return NOTHING
    prefix = f"{field}__" if field else ""
    if org.kind == OrgKind.REGION:
        return Q(**{f"{prefix}pk": org.pk}) | Q(**{f"{prefix}region_id": org.pk})
    if org.kind == OrgKind.MUNICIPALITY:
        return Q(**{f"{prefix}pk": org.pk}) | Q(**{f"{prefix}municipality_id": org.pk})
    return Q(**{f"{prefix}pk": org.pk})


def _ancestors_q(field: str, org) -> Q:
    """`field` points at `org` or one of its ancestors (a school's municipality and region)."""
    prefix = f"{field}__" if field else ""
    ids = [pk for pk in (org.pk, org.municipality_id, org.region_id) if pk]
    if org.kind == OrgKind.MUNICIPALITY:
        ids = [org.pk, org.region_id]
    return Q(**{f"{prefix}pk__in": [pk for pk in ids if pk]})


NOTHING = Q(pk__in=[])


def managed_q(user, field: str = "", *, roles_: Iterable[str] = MANAGE) -> Q:
    """Organisations (through `field`) that the user manages with one of `roles_` (a Capability)."""
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


def work_q(user, field: str = "organization", *, named: Q) -> Q:
    """Work done by organisations (through `field`) that the user reads: what he manages with
    READ_WORK, and, as a specialist, what `named` says names him (the caller's condition, since
    what names a person belongs to the activities app)."""
    q = managed_q(user, field, roles_=READ_WORK)
    if can(user, READ_NAMED_WORK):
        q |= managed_q(user, field, roles_=READ_NAMED_WORK) & named
    return q


def user_organizations(user) -> list:
    """The organisations the user holds a role in, without repeats, in membership order."""
    seen: dict = {}
    for m in memberships(user):
        seen.setdefault(m.organization_id, m.organization)
    return list(seen.values())


def seats(user, capability: Capability) -> list:
    """The organisations in which the user holds `capability` (without repeats, in membership
    order): with EDIT_PLANS, the organisations whose plans he keeps."""
    wanted = set(capability)
    seen: dict = {}
    for m in memberships(user):
        if m.role in wanted:
            seen.setdefault(m.organization_id, m.organization)
    return list(seen.values())


def plan_owners(user, *, roles_: Capability = EDIT_PLANS) -> list:
    """The organisations whose plans the user keeps (or, with APPROVE_PLANS, approves)."""
    return seats(user, roles_)


def can_edit_plans_of(user, organization) -> bool:
    return can(user, EDIT_PLANS, organization)


def can_approve_plans_of(user, organization) -> bool:
    return can(user, APPROVE_PLANS, organization)
