"""Writing an imported plan: all of it in one transaction, or nothing (vprplan.importing).

The file read for import waits for its confirmation as a PlanImport row: `plan_import_upload`
keeps it, `plan_import` writes the plan and marks it imported, in the same transaction.
"""

from datetime import date

from activities.choices import PlanStatus
from activities.models import Activity, Plan, ResponsibleRole
from activities.services import ActivityData, SectionData, plan_replace_content
from reports.imports.draft import PlanDraft
from reports.imports.errors import ImportFileError
from reports.imports.preview import Preview, build_preview
from reports.imports.responsible import norm
from reports.models import PlanImport
from schools.models import Organization
from vprplan import access
from vprplan.importing import commit_import, issues_sentence

NOT_KEEPER = "Нет права вести планы этой организации."


class PlanImportError(ImportFileError):
    """The file has problems in its rows: nothing was written. `errors` lists them by row."""

    def __init__(self, errors: list[dict], preview: Preview | None = None):
        self.errors = errors
        self.preview = preview
        super().__init__(issues_sentence(errors))


def _period_text(draft: PlanDraft, start: date, end: date) -> str:
    """The period as the document words it, while the chosen period is still the document's."""
    return draft.period_text if (start, end) == (draft.start, draft.end) else ""


def plan_import_upload(*, actor, owner: Organization, draft: PlanDraft) -> PlanImport:
    """Keep a file read for import (its draft, not the file) until `actor` confirms its preview."""
    if not access.can_edit_plans_of(actor, owner):
        raise PlanImportError([{"row": None, "message": NOT_KEEPER}])
    return PlanImport.objects.create(
        owner=owner,
        created_by=actor,
        file_name=draft.file_name[:255],
        format=draft.format,
        draft=draft.to_dict(),
    )


def plan_import(
    *,
    draft: PlanDraft,
    owner: Organization,
    actor=None,
    title: str | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    upload: PlanImport | None = None,
) -> tuple[Plan, Preview]:
    """Create a draft plan of `owner` from an imported file's draft: sections and activities
    (through plan_replace_content), the deadline rules the parser proposes, the responsible roles
    and persons matched in the catalogue, and the new roles its text names; `upload`, the waiting
    PlanImport, is marked imported. Any error raises PlanImportError and writes nothing. `actor`
    None means the system (the import_plan command).
    """
    if actor is not None and not access.can_edit_plans_of(actor, owner):
        raise PlanImportError([{"row": None, "message": NOT_KEEPER}])
    if upload is not None and (upload.owner_id != owner.pk or upload.status != PlanImport.Status.PREVIEW):
        raise PlanImportError(
            [{"row": None, "message": "Этот файл уже загружен или относится к другой организации."}]
        )

    def write(preview: Preview) -> tuple[Plan, dict]:
        plan = _create_plan(draft, owner, actor, preview)
        created = _create_roles(owner, preview.roles_to_create)
        _link_activities(plan, preview, created)
        if upload is not None:
            upload.status, upload.plan = PlanImport.Status.IMPORTED, plan
            upload.save(update_fields=["status", "plan", "updated_at"])
        preview.plan = plan
        return plan, {
            "organization": owner,
            "file_name": draft.file_name,
            "format": draft.format,
            "sections": len(preview.sections),
            "activities": len(preview.activities),
            "roles_created": [r.name for r in created.values()],
        }

    preview = commit_import(
        actor=actor,
        action="plan.imported",
        preview=lambda: build_preview(
            draft, owner=owner, title=title, period_start=period_start, period_end=period_end
        ),
        write=write,
    )
    if not preview.committed:
        raise PlanImportError(preview.errors, preview)
    return preview.plan, preview


def _create_plan(draft: PlanDraft, owner: Organization, actor, preview: Preview) -> Plan:
    plan = Plan(
        owner=owner,
        title=preview.title,
        kind=draft.kind,
        period_text=_period_text(draft, preview.period_start, preview.period_end),
        period_start=preview.period_start,
        period_end=preview.period_end,
        section_numbering=draft.section_numbering,
        columns=draft.columns,
        goals=draft.goals,
        tasks=draft.tasks,
        status=PlanStatus.DRAFT,
    )
    plan.full_clean()
    plan.save()
    plan_replace_content(
        plan=plan,
        actor=actor,
        sections=[
            SectionData(
                title=s.title,
                activities=[
                    ActivityData(
                        title=a.title,
                        deadline_text=a.deadline_text,
                        deadline_kind=a.deadline_kind,
                        deadline_rule=a.deadline_rule,
                        responsible_text=a.responsible_text,
                        expected_result=a.expected_result,
                        note=a.note,
                    )
                    for a in s.activities
                ],
            )
            for s in preview.sections
        ],
    )
    return plan


def _create_roles(owner: Organization, names: list[str]) -> dict[str, ResponsibleRole]:
    """The organisation's new catalogue roles, by normalised name (an existing one is reused)."""
    if not names:
        return {}
    existing = {norm(r.name): r for r in ResponsibleRole.objects.filter(owner=owner)}
    missing = [ResponsibleRole(owner=owner, name=n) for n in names if norm(n) not in existing]
    ResponsibleRole.objects.bulk_create(missing)
    if missing and missing[0].pk is None:  # a database that does not return ids from bulk inserts
        existing = {norm(r.name): r for r in ResponsibleRole.objects.filter(owner=owner)}
    else:
        existing.update({norm(r.name): r for r in missing})
    return {norm(n): existing[norm(n)] for n in names}


def _link_activities(plan: Plan, preview: Preview, created: dict[str, ResponsibleRole]) -> None:
    """Warnings, execution level and responsible roles/persons in a fixed number of queries."""
    activities = list(Activity.objects.filter(plan=plan).order_by("section__position", "position"))
    role_links, person_links = [], []
    RoleLink = Activity.responsible_roles.through
    PersonLink = Activity.responsible_persons.through
    for activity, data in zip(activities, preview.activities, strict=True):
        activity.deadline_warning = data.deadline_warning
        activity.execution_level = data.execution_level
        roles = {r.pk for r in data.responsible.roles} | {
            created[norm(n)].pk for n in data.responsible.new_roles if norm(n) in created
        }
        role_links += [RoleLink(activity_id=activity.pk, responsiblerole_id=pk) for pk in sorted(roles)]
        person_links += [
            PersonLink(activity_id=activity.pk, responsibleperson_id=p.pk) for p in data.responsible.persons
        ]
    Activity.objects.bulk_update(activities, ["deadline_warning", "execution_level"], batch_size=500)
    RoleLink.objects.bulk_create(role_links, batch_size=500)
    PersonLink.objects.bulk_create(person_links, batch_size=500)
