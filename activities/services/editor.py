"""Editing a draft plan in place: sections and activities, their order, undo of deletions.

Every change is checked against the plan's state (only drafts change), numbered again, and written
to the audit trail with the fields it changed, which is the history the editor shows.
"""

import functools

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from activities.choices import DeadlineKind, PlanStatus
from activities.models import Activity, Plan, ResponsiblePerson, Section
from activities.services.content import plan_renumber
from vprplan import access
from vprplan.audit import audit
from vprplan.audit_actions import AuditAction
from vprplan.errors import DomainError, EditConflict
from vprplan.models import AuditEvent

# What the activity form edits; the history records changes of these.
ACTIVITY_EDIT_FIELDS = [
    "title",
    "deadline_text",
    "deadline_kind",
    "deadline_rule",
    "deadline_confirmed",
    "deadline_warning",
    "responsible_text",
    "expected_result",
    "evidence_form",
    "evidence_required",
    "note",
    "execution_level",
    "target_kind",
    "target_flag_year",
]
ACTIVITY_M2M = ["responsible_roles", "responsible_persons", "target_schools"]
# Large enough to step over every real position while rows change places.
_PARKING = 1_000_000


def activity_links(activity: Activity) -> dict[str, set[int]]:
    """The ids of the activity's roles, people and schools ({field: ids}), in one query.

    The editor reads them once a request: its form checks the posted ids against them, and the
    save compares them with what it writes. Plain SQL over the three link tables: the same read
    built by the ORM (a union of three querysets) cost ≈ 1 ms of Python a save, this ≈ 0.04 ms."""
    with connection.cursor() as cursor:
        cursor.execute(_links_sql(), [activity.pk] * len(ACTIVITY_M2M))
        rows = cursor.fetchall()
    links: dict[str, set[int]] = {name: set() for name in ACTIVITY_M2M}
    for index, pk in rows:
        links[ACTIVITY_M2M[index]].add(pk)
    return links


@functools.cache
def _links_sql() -> str:
    """SELECT <field's index>, <linked id> FROM each link table of ACTIVITY_M2M, UNION ALL."""
    quote = connection.ops.quote_name
    parts = []
    for index, name in enumerate(ACTIVITY_M2M):
        through = getattr(Activity, name).through
        linked = Activity._meta.get_field(name).related_model

        def column(model, through=through):
            return next(f.column for f in through._meta.get_fields() if f.is_relation and f.related_model is model)

        parts.append(
            f"SELECT {index}, {quote(column(linked))} FROM {quote(through._meta.db_table)} "
            f"WHERE {quote(column(Activity))} = %s"
        )
    return " UNION ALL ".join(parts)


def lock_status(plan: Plan) -> None:
    """Lock the plan's row for this transaction and read its status as it is now: two heads
    approving (or a submit racing a return) at the same moment pass the check one after the other.

    Every edit of a draft runs it. The statement never changes, so it is written once
    (`_lock_sql`): built by the ORM (`select_for_update().values_list("status").get()`), it cost
    about 1 ms of Python a save, more than its UPDATE."""
    if not connection.in_atomic_block:  # as select_for_update() refuses: a lock outside one holds nothing
        raise TransactionManagementError("lock_status() runs inside a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(connection.features.has_select_for_update), [plan.pk])
        row = cursor.fetchone()
    if row is None:
        raise Plan.DoesNotExist(f"plan {plan.pk} is gone")
    plan.status = row[0]


@functools.cache
def _lock_sql(for_update: bool) -> str:
    """SELECT the plan's status by id, FOR UPDATE where the database locks rows (PostgreSQL;
    SQLite's transactions take the whole database: settings begin them IMMEDIATE)."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote(Plan._meta.get_field('status').column)} FROM {quote(Plan._meta.db_table)} "
        f"WHERE {quote(Plan._meta.pk.column)} = %s"
    )
    return sql + (" FOR UPDATE" if for_update else "")


def ensure_draft(plan: Plan) -> None:
    """The plan is a draft, read under its row lock (held to the end of the transaction): edits of
    one plan run one after another, so two additions never take the same position, and no edit
    slips into a plan that is being submitted or approved."""
    lock_status(plan)
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(
            "План не в статусе черновика: изменения вносятся новой редакцией («Изменения в план»)."
        )


def ensure_editable(plan: Plan, actor: User) -> None:
    """`actor` keeps this plan (EDIT_PLANS over its owner) and it is a draft (ensure_draft)."""
    access.require(actor, access.EDIT_PLANS, plan.owner)
    ensure_draft(plan)


def _activity_snapshot(activity: Activity) -> dict:
    data = {name: getattr(activity, name) for name in ACTIVITY_EDIT_FIELDS}
    for name in ACTIVITY_M2M:
        data[name] = sorted(getattr(activity, name).values_list("pk", flat=True))
    data["position"] = activity.position
    data["origin_id"] = activity.origin_id
    return data


def _restore_activity(section: Section, data: dict, position: int) -> Activity:
    fields = {k: data[k] for k in ACTIVITY_EDIT_FIELDS if k in data}
    activity = Activity.objects.create(
        plan=section.plan, section=section, position=position, origin_id=data.get("origin_id"), **fields
    )
    for name in ACTIVITY_M2M:
        getattr(activity, name).set(data.get(name, []))
    return activity


def _make_room(section: Section, position: int) -> None:
    """Shift activities at `position` and after one step down, without breaking uniqueness."""
    rows = Activity.objects.filter(section=section, position__gte=position)
    rows.update(position=F("position") + _PARKING)
    Activity.objects.filter(section=section, position__gte=_PARKING).update(
        position=F("position") - _PARKING + 1
    )


# Sections -------------------------------------------------------------------------------------


@transaction.atomic
def section_add(*, plan: Plan, title: str, actor: User) -> Section:
    """A new section at the end of the plan.

    A flat plan (one section without a title) keeps its activities where they are, numbered
    1, 2, 3 before the new section; an implicit section with no activities left simply takes
    the title, so the plan does not keep an empty untitled section above its first real one."""
    ensure_editable(plan, actor)
    title = title.strip()
    if not title:
        raise DomainError("Укажите наименование раздела.")
    sections = list(plan.sections.order_by("position"))
    if len(sections) == 1 and sections[0].is_implicit and not sections[0].activities.exists():
        section = sections[0]
        section.title = title
        section.save(update_fields=["title"])
        plan_renumber(plan=plan)
        section.refresh_from_db(fields=["number"])
        audit(actor, "section.added", section, organization=plan.owner, title=title)
        return section
    last = sections[-1].position if sections else 0
    section = Section.objects.create(plan=plan, position=last + 1, title=title)
    plan_renumber(plan=plan)
    section.refresh_from_db(fields=["number"])
    audit(actor, "section.added", section, organization=plan.owner, title=title)
    return section


@transaction.atomic
def section_update(*, section: Section, title: str, actor: User) -> Section:
    ensure_editable(section.plan, actor)
    title = title.strip()
    if not title:
        raise DomainError("Наименование раздела не может быть пустым.")
    if title != section.title:
        audit(
            actor,
            "section.changed",
            section,
            organization=section.plan.owner,
            changes={"title": [section.title, title]},
        )
        was_implicit = section.is_implicit
        section.title = title
        section.save(update_fields=["title"])
        if was_implicit:  # a titled section takes a number, and its activities 1.1, 1.2…
            plan_renumber(plan=section.plan)
            section.refresh_from_db(fields=["number"])
    return section


@transaction.atomic
def section_delete(*, section: Section, actor: User) -> AuditEvent:
    """Delete a section with its activities; the returned event is what «Отменить» restores."""
    plan = section.plan
    ensure_editable(plan, actor)
    activities = list(section.activities.order_by("position"))
    event = audit(
        actor,
        "section.deleted",
        section,
        organization=plan.owner,
        plan_id=plan.pk,
        position=section.position,
        title=section.title,
        activities=[_activity_snapshot(a) for a in activities],
    )
    section.delete()
    _close_gaps_sections(plan)
    plan_renumber(plan=plan)
    return event


def _close_gaps_sections(plan: Plan) -> None:
    sections = list(plan.sections.order_by("position"))
    Section.objects.filter(plan=plan).update(position=F("position") + _PARKING)
    for index, section in enumerate(sections, start=1):
        section.position = index
    Section.objects.bulk_update(sections, ["position"])


@transaction.atomic
def section_move(*, section: Section, delta: int, actor: User) -> None:
    """Move a section up (delta −1) or down (+1)."""
    plan = section.plan
    ensure_editable(plan, actor)
    sections = list(plan.sections.order_by("position"))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    target = index + delta
    if not 0 <= target < len(sections):
        return
    sections.insert(target, sections.pop(index))
    _write_section_order(plan, sections)
    audit(actor, "section.moved", section, organization=plan.owner, to=target + 1)


def _write_section_order(plan: Plan, sections: list[Section]) -> None:
    Section.objects.filter(plan=plan).update(position=F("position") + _PARKING)
    for index, s in enumerate(sections, start=1):
        s.position = index
    Section.objects.bulk_update(sections, ["position"])
    plan_renumber(plan=plan)


# Activities -----------------------------------------------------------------------------------


@transaction.atomic
def activity_add(*, section: Section, actor: User, title: str = "Новое мероприятие") -> Activity:
    """A new activity at the end of the section, ready to be filled in."""
    ensure_editable(section.plan, actor)
    last = section.activities.aggregate(m=Max("position"))["m"] or 0
    activity = Activity.objects.create(
        plan=section.plan,
        section=section,
        position=last + 1,
        title=title,
        deadline_kind=DeadlineKind.MANUAL,
    )
    plan_renumber(plan=section.plan)
    activity.refresh_from_db(fields=["number"])
    audit(actor, "activity.added", activity, organization=section.plan.owner, title=title)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    data: dict,
    expected_version: int,
    actor: User,
    m2m: dict | None = None,
    links: dict[str, set[int]] | None = None,
) -> Activity:
    """Save the editor's fields. If someone saved the activity since `expected_version` was read,
    raise EditConflict with the saved version: never overwrite silently.

    The version check is the UPDATE's own WHERE clause, so two saves racing each other cannot both
    pass it. `activity` is the row as this request read it, and `links` its roles, people and
    schools as read with it (activity_links; read here when not given): the history compares
    against them.
    """
    ensure_editable(activity.plan, actor)
    unknown = set(data) - set(ACTIVITY_EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    changes = {k: [getattr(activity, k), v] for k, v in data.items() if getattr(activity, k) != v}
    candidate = Activity(**{f.attname: getattr(activity, f.attname) for f in Activity._meta.concrete_fields})
    candidate.plan, candidate.section = activity.plan, activity.section
    for name, value in data.items():
        setattr(candidate, name, value)
    try:
        # Position, section and origin do not change here: checking them again would only query.
        candidate.full_clean(
            exclude=["number", "section", "plan", "origin"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        raise DomainError("; ".join(m for ms in error.message_dict.values() for m in ms)) from error
    candidate.version = expected_version + 1
    candidate.updated_at = timezone.now()
    saved = Activity.objects.filter(pk=activity.pk, version=expected_version).update(
        version=candidate.version, updated_at=candidate.updated_at, **data
    )
    if not saved:
        current = Activity.objects.select_related("plan").get(pk=activity.pk)
        last = (
            AuditEvent.objects.filter(object_type="activities.activity", object_id=str(activity.pk))
            .select_related("actor")
            .first()
        )
        raise EditConflict(
            "Пока вы редактировали, мероприятие изменил другой пользователь. Сравните версии и "
            "выберите, какую сохранить.",
            current=current,
            changed_by=last.actor if last else None,
            changed_at=last.at if last else None,
        )
    if m2m and links is None:
        links = activity_links(activity)
    for name, values in (m2m or {}).items():
        # As this request read them (the editor reads them once, with the form's choices). The
        # UPDATE's version check above proves nobody has saved the activity since they were read.
        before = set(links[name])
        after = {v.pk if hasattr(v, "pk") else v for v in values}
        if before != after:
            getattr(candidate, name).set(after)
            changes[name] = [sorted(before), sorted(after)]
    if changes:
        audit(actor, "activity.changed", candidate, organization=activity.plan.owner, changes=changes)
    return candidate


@transaction.atomic
def responsible_person_add(*, plan: Plan, text: str, actor: User) -> ResponsiblePerson:
    """A person typed into an activity's form («Фамилия И. О., должность»): the person of that
    name in the plan owner's municipality (its own register for a region), or a new one, audited."""
    access.require(actor, access.EDIT_PLANS, plan.owner)
    name, _, position = (part.strip() for part in text.partition(","))
    person, created = ResponsiblePerson.objects.get_or_create(
        organization_id=plan.owner.municipality_id_or_self or plan.owner_id,
        name=name,
        defaults={"position": position},
    )
    if created:
        audit(
            actor,
            AuditAction.RESPONSIBLE_PERSON_ADDED,
            person,
            organization=plan.owner,
            plan_id=plan.pk,
            name=name,
            position=position,
        )
    return person


@transaction.atomic
def activity_delete(*, activity: Activity, actor: User) -> AuditEvent:
    """Delete an activity; the returned event is what «Отменить» restores."""
    plan = activity.plan
    ensure_editable(plan, actor)
    event = audit(
        actor,
        "activity.deleted",
        activity,
        organization=plan.owner,
        plan_id=plan.pk,
        section_id=activity.section_id,
        number=activity.number,
        snapshot=_activity_snapshot(activity),
    )
    section = activity.section
    activity.delete()
    _write_activity_order(section, list(section.activities.order_by("position")))
    plan_renumber(plan=plan)
    return event


@transaction.atomic
def deletion_undo(*, event: AuditEvent, actor: User):
    """Put back what `event` deleted, where it was. Returns the restored section or activity."""
    plan = Plan.objects.get(pk=event.data["plan_id"])
    ensure_editable(plan, actor)
    if AuditEvent.objects.filter(action="deletion.undone", object_id=str(event.pk)).exists():
        raise DomainError("Удаление уже отменено.")
    if event.action == "activity.deleted":
        section = Section.objects.filter(pk=event.data["section_id"], plan=plan).first()
        if section is None:
            raise DomainError("Раздел этого мероприятия тоже удалён: сначала верните раздел.")
        snapshot = event.data["snapshot"]
        position = min(snapshot["position"], (section.activities.aggregate(m=Max("position"))["m"] or 0) + 1)
        _make_room(section, position)
        restored = _restore_activity(section, snapshot, position)
    elif event.action == "section.deleted":
        position = min(event.data["position"], (plan.sections.aggregate(m=Max("position"))["m"] or 0) + 1)
        Section.objects.filter(plan=plan, position__gte=position).update(position=F("position") + _PARKING)
        Section.objects.filter(plan=plan, position__gte=_PARKING).update(
            position=F("position") - _PARKING + 1
        )
        restored = Section.objects.create(plan=plan, position=position, title=event.data["title"])
        for snapshot in event.data["activities"]:
            _restore_activity(restored, snapshot, snapshot["position"])
    else:
        raise DomainError("Это действие нельзя отменить.")
    plan_renumber(plan=plan)
    audit(actor, "deletion.undone", event, organization=plan.owner, restored=str(restored.pk))
    return restored


def _write_activity_order(section: Section, activities: list[Activity]) -> None:
    Activity.objects.filter(pk__in=[a.pk for a in activities]).update(position=F("position") + _PARKING)
    for index, a in enumerate(activities, start=1):
        a.position = index
        a.section = section
    Activity.objects.bulk_update(activities, ["position", "section"])


@transaction.atomic
def activity_move(*, activity: Activity, delta: int, actor: User) -> None:
    """Move an activity up or down; past the edge of its section it goes to the neighbour
    section's end (up) or start (down), as in a document."""
    plan = activity.plan
    ensure_editable(plan, actor)
    sections = list(plan.sections.order_by("position"))
    s_index = next(i for i, s in enumerate(sections) if s.pk == activity.section_id)
    rows = list(sections[s_index].activities.order_by("position"))
    index = next(i for i, a in enumerate(rows) if a.pk == activity.pk)
    target = index + delta
    if 0 <= target < len(rows):
        rows.insert(target, rows.pop(index))
        _write_activity_order(sections[s_index], rows)
    else:
        n_index = s_index + (1 if delta > 0 else -1)
        if not 0 <= n_index < len(sections):
            return
        rows.pop(index)
        # Park the moving row first: the rows left behind take its place.
        Activity.objects.filter(pk=activity.pk).update(position=2 * _PARKING)
        _write_activity_order(sections[s_index], rows)
        neighbour = list(sections[n_index].activities.order_by("position"))
        neighbour = [activity, *neighbour] if delta > 0 else [*neighbour, activity]
        _write_activity_order(sections[n_index], neighbour)
    plan_renumber(plan=plan)
    activity.refresh_from_db()
    audit(actor, "activity.moved", activity, organization=plan.owner, number=activity.number)


@transaction.atomic
def plan_reorder(*, plan: Plan, order: list[tuple[int, list[int]]], actor: User) -> None:
    """Apply a drag-and-drop order: [(section id, [activity ids in order]), …] for the whole plan."""
    ensure_editable(plan, actor)
    sections = {s.pk: s for s in plan.sections.all()}
    activities = {a.pk: a for a in Activity.objects.filter(plan=plan)}
    seen_sections = [sid for sid, _ in order]
    seen_activities = [aid for _, ids in order for aid in ids]
    if sorted(seen_sections) != sorted(sections) or sorted(seen_activities) != sorted(activities):
        raise DomainError("План изменился, пока вы перетаскивали строки: обновите страницу.")
    _write_section_order(plan, [sections[sid] for sid in seen_sections])
    Activity.objects.filter(plan=plan).update(position=F("position") + _PARKING)
    changed = []
    for sid, ids in order:
        for index, aid in enumerate(ids, start=1):
            a = activities[aid]
            a.section_id, a.position = sid, index
            changed.append(a)
    Activity.objects.bulk_update(changed, ["section", "position"])
    plan_renumber(plan=plan)
    audit(actor, "plan.reordered", plan, organization=plan.owner)
