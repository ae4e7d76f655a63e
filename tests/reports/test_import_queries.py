"""An import costs a fixed number of queries, not a few per row."""

import io

import docx
import pytest

from reports.imports.draft import read_plan
from reports.imports.services import plan_import

pytestmark = pytest.mark.django_db

RESPONSIBLE = [
    "Руководители ОО",
    "Отдел образования администрации",
    "Фильчук Л.А., ведущий специалист",
    "Муниципальный координатор ВПР; Классные руководители",
    "Методический центр",
]
DEADLINES = [
    "До 25.01.2024",
    "Февраль-май 2024 года",
    "Постоянно",
    "Сентябрь каждого учебного года",
    "По мере необходимости",
]


def plan_file(sections=6, per_section=25) -> bytes:
    document = docx.Document()
    document.add_paragraph("ПЛАН МЕРОПРИЯТИЙ по обеспечению объективности ВПР на 2023-2024 учебный год")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells,
        ["№ п/п", "Мероприятия", "Срок реализации", "Ответственные", "Ожидаемый результат"],
        strict=True,
    ):
        cell.text = text
    for s in range(1, sections + 1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(s), f"Раздел {s}"
        for a in range(1, per_section + 1):
            cells = table.add_row().cells
            n = (s - 1) * per_section + a
            values = [
                f"{s}.{a}",
                f"Мероприятие {s}.{a}",
                DEADLINES[n % 5],
                RESPONSIBLE[n % 5],
                f"Результат {n}",
            ]
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
