"""A plan without sections (the Tomsk plan: activities 1–15) keeps its numbers 1, 2, 3 with no
invented section: through the import and its JSON, the plan page, the editor and the exports."""

import io
import json
import re

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from activities import services
from activities.models import Activity, Plan
from activities.selectors import plan_document
from reports.exports.docx import plan_docx
from reports.exports.xlsx import plan_xlsx

pytestmark = pytest.mark.django_db

TITLE = (
    "План мероприятий по обеспечению объективности проведения оценочных процедур "
    "в общеобразовательных организациях Томского района на 2024-2025 учебный год"
)
HEADER = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные"]
DEADLINES = [
    "Сентябрь 2024 года",
    "до 15.10.2024",
    "Постоянно",
    "Март-апрель 2025 года",
    "По мере необходимости",
]
ROWS = [
    [
        str(n),
        f"Мероприятие номер {n}: анализ и контроль объективности",
        DEADLINES[n % 5],
        "Управление образования",
    ]
    for n in range(1, 16)
]
NUMBERS = [str(n) for n in range(1, 16)]


def tomsk_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=0, cols=4)
    for values in [HEADER, *ROWS]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def tomsk_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append([TITLE])
    ws.append([])
    for values in [HEADER, *ROWS]:
        ws.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_json(path, *args) -> dict:
    out = io.StringIO()
    call_command("import_plan", str(path), "--owner", "m1", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_flat_plan_keeps_its_numbers_everywhere(client, world, tmp_path, fmt):
    path = tmp_path / f"tomsk.{fmt}"
    path.write_bytes(tomsk_docx() if fmt == "docx" else tomsk_xlsx())
    preview = import_json(path, "--dry-run")
    result = import_json(path)
    for data in (preview, result):
        assert [a["number"] for a in data["activities"]] == NUMBERS
        assert data["sections"] == [{"number": "", "title": ""}] and data["warnings"] == []
    plan = Plan.objects.get(pk=result["plan_id"])
    assert plan.title == TITLE
    (section,) = plan.sections.all()
    assert (section.number, section.title, section.is_implicit) == ("", "", True)
    assert list(Activity.objects.filter(plan=plan).values_list("number", flat=True)) == NUMBERS

    client.force_login(world.coordinator)
    page = client.get(reverse("activities:plan_detail", args=[plan.pk])).content.decode()
    assert re.findall(r'<td class="col-number"[^>]*>([^<]*)</td>', page) == NUMBERS
    assert 'class="section-row"' not in page and "Мероприятия</th>" not in page
    editor = client.get(reverse("activities:plan_edit", args=[plan.pk])).content.decode()
    assert re.findall(r'<span class="ed-number">([^<]*)</span>', editor) == NUMBERS
    assert "ed-section-head" not in editor and "+ Мероприятие</button>" in editor

    sections = plan_document(plan)
    table = docx.Document(io.BytesIO(plan_docx(plan, sections))).tables[0]
    assert [row.cells[0].text for row in table.rows[1:]] == NUMBERS  # no section row
    ws = openpyxl.load_workbook(io.BytesIO(plan_xlsx(plan, sections))).active
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "№ п/п")
    assert [ws.cell(r, 1).value for r in range(header + 1, ws.max_row + 1)] == NUMBERS


def numbers(plan: Plan) -> list[tuple[str, str]]:
    return [
        (a.section.number, a.number)
        for a in Activity.objects.filter(plan=plan)
        .select_related("section")
        .order_by("section__position", "position")
    ]


def test_editing_a_flat_plan(client, world, tmp_path):
    path = tmp_path / "tomsk.docx"
    path.write_bytes(tomsk_docx())
    plan = Plan.objects.get(pk=import_json(path)["plan_id"])
    section = plan.sections.get()
    actor = world.coordinator
    added = services.activity_add(section=section, actor=actor)
    assert added.number == "16"
    services.activity_move(activity=added, delta=-1, actor=actor)
    assert [n for _, n in numbers(plan)] == [str(n) for n in range(1, 17)]
    assert Activity.objects.get(pk=added.pk).number == "15"
    # A real section added to a flat plan: the plan's own activities keep 1–16, the section is 1.
    real = services.section_add(plan=plan, title="Дополнительные мероприятия", actor=actor)
    assert real.number == "1" and plan.sections.count() == 2
    services.activity_add(section=real, actor=actor)
    assert numbers(plan)[-2:] == [("", "16"), ("1", "1.1")]
    # The editor now shows the untitled part with a head to give it a name; naming it numbers it.
    client.force_login(actor)
    editor = client.get(reverse("activities:plan_edit", args=[plan.pk])).content.decode()
    assert "Мероприятия вне разделов" in editor
    response = client.post(
        reverse("activities:section_edit", args=[section.pk]), {"title": "Основные мероприятия"}
    )
    assert response["HX-Retarget"] == "#plan-body"
    assert numbers(plan)[0] == ("1", "1.1") and numbers(plan)[-1] == ("2", "2.1")


def test_a_first_section_in_an_empty_flat_plan_takes_the_untitled_one(world):
    plan = Plan.objects.create(
        owner=world.m1, title="План", period_start="2024-09-01", period_end="2025-08-31"
    )
    services.plan_replace_content(plan=plan, sections=[services.SectionData(title="")])
    implicit = plan.sections.get()
    section = services.section_add(plan=plan, title="Анализ результатов", actor=world.coordinator)
    assert section.pk == implicit.pk and (section.number, section.title) == ("1", "Анализ результатов")


def test_a_flat_plans_progress_and_executions_show_no_empty_section_number(client, world, tmp_path):
    path = tmp_path / "tomsk.docx"
    path.write_bytes(tomsk_docx())
    plan = Plan.objects.get(pk=import_json(path)["plan_id"])
    services.plan_submit(plan=plan, actor=world.coordinator)
    services.plan_approve(plan=plan, actor=world.head)
    execution = plan.activities.first().executions.first()
    client.force_login(world.coordinator)
    pages = [
        client.get(reverse("activities:plan_progress", args=[plan.pk])),
        client.get(reverse("activities:execution_detail", args=[execution.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert ">. " not in html and "Мероприятия плана" in html
