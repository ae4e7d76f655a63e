"""Importing a plan (issue 5): a 150-row .docx read, previewed and written, against merely opening
and reading the same file with python-docx."""

import io

import docx
from django.db import transaction

from bench.registry import BenchError, Case, Context, scenario
from bench.samples import plan_docx
from reports.imports.draft import read_plan
from reports.imports.services import plan_import
from schools.choices import Role
from schools.models import Organization


@scenario("import a 150-row .docx plan", goal_ratio=5.0)
def import_docx(ctx: Context) -> Case:
    data = plan_docx(sections=6, per_section=25)
    coordinator = ctx.user(Role.MUNICIPAL_COORDINATOR)
    owner = Organization.objects.get(
        pk=coordinator.memberships.get(role=Role.MUNICIPAL_COORDINATOR).organization_id
    )

    def ours():
        # The whole import, rolled back so the bench database stays as generated.
        with transaction.atomic():
            plan, _ = plan_import(draft=read_plan(data, "plan.docx"), owner=owner, actor=coordinator)
            if plan.activities.count() != 150:
                raise BenchError("the import did not write 150 activities")
            transaction.set_rollback(True)

    def anchor():
        document = docx.Document(io.BytesIO(data))
        return [cell.text for table in document.tables for row in table.rows for cell in row.cells]

    return Case(ours=ours, anchor=anchor, anchor_name="python-docx: open and read every cell")
