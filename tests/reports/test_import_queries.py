"""An import costs a fixed number of queries, not a few per row."""

import pytest

from bench.samples import plan_docx
from reports.imports.draft import read_plan
from reports.imports.services import plan_import

pytestmark = pytest.mark.django_db

plan_file = plan_docx


def test_a_150_row_import_costs_a_fixed_number_of_queries(
    world, catalogue, filchuk, django_assert_max_num_queries
):
    draft = read_plan(plan_file(), "plan.docx")
    assert sum(len(s["activities"]) for s in draft.sections) == 150 and draft.errors == []
    # Savepoints, memberships, catalogue (2), plan (2), sections (3), activities in bulk (SQLite
    # batches ~40 rows per INSERT, PostgreSQL all), renumber (4), audit (2), roles (2), links (4).
    with django_assert_max_num_queries(30):
        plan, _ = plan_import(draft=draft, owner=world.m1, actor=world.coordinator)
    assert plan.activities.count() == 150
    assert plan.activities.filter(responsible_roles__name="Методический центр").count() == 30
