"""Reading the plan table: headings in any wording, merged cells, section and continuation rows."""

import io

import docx
import pytest

from reports.imports.draft import read_plan
from reports.imports.table import heading_key
from reports.imports.titles import read_title_block


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("№ п/п", "number"),
        ("№п/п", "number"),
        ("№", "number"),
        ("N п/п", "number"),
        ("Наименование мероприятия", "title"),
        ("Мероприятия", "title"),
        ("Меры/мероприятия", "title"),
        ("Сроки реализации", "deadline"),
        ("Сроки проведения", "deadline"),
        ("Срок реализации", "deadline"),
        ("Дата проведения", "deadline"),
        ("Срок проведения мероприятия", "deadline"),
        ("Ответственные лица", "responsible"),
        ("Ответственный", "responsible"),
        ("Ответственные исполнители", "responsible"),
        ("Ожидаемый результат", "expected_result"),
        ("Результат", "expected_result"),
        ("Примечание", "note"),
        ("Отметка о выполнении", None),
        ("", None),
    ],
)
def test_headings_in_their_real_wordings(heading, key):
    assert heading_key(heading) == key


def test_vertically_merged_cells_belong_to_every_row_they_span():
    document = docx.Document()
    document.add_paragraph("План мероприятий на 2024 год")
    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Мероприятия", "Срок", "Ответственные"], strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "Первое"
    table.rows[2].cells[0].text = "Второе"
    table.rows[1].cells[1].text = "Январь"
    table.rows[2].cells[1].text = "Февраль"
    table.rows[3].cells[0].text = "Третье"
    table.rows[3].cells[1].text = "Март"
    merged = table.rows[1].cells[2].merge(table.rows[3].cells[2])
    merged.text = "Руководители ОО"
    buffer = io.BytesIO()
    document.save(buffer)
    draft = read_plan(buffer.getvalue(), "plan.docx")
    activities = draft.sections[0]["activities"]
    assert [(a["title"], a["deadline"], a["responsible"]) for a in activities] == [
        ("Первое", "Январь", "Руководители ОО"),
        ("Второе", "Февраль", "Руководители ОО"),
        ("Третье", "Март", "Руководители ОО"),
    ]


@pytest.mark.parametrize(
    ("paragraphs", "title", "period"),
    [
        (
            ["ПЛАН МЕРОПРИЯТИЙ", "по обеспечению объективности результатов ВПР", "на 2024/25 учебный год"],
            "План мероприятий по обеспечению объективности результатов ВПР на 2024/25 учебный год",
            ("2024-09-01", "2025-08-31", "2024-2025 учебный год"),
        ),
        (
            [
                "УТВЕРЖДЕН приказом от 01.02.2024 № 3",
                "",
                "Дорожная карта по повышению объективности ВПР в 2024 году",
            ],
            "Дорожная карта по повышению объективности ВПР в 2024 году",
            ("2024-01-01", "2024-12-31", "2024 год"),
        ),
        (
            ["Приложение 1", "", "Мероприятия по обеспечению объективности", "проведения ВПР"],
            "Мероприятия по обеспечению объективности проведения ВПР",
            (None, None, ""),
        ),
    ],
)
def test_title_and_period_above_the_table(paragraphs, title, period):
    block = read_title_block(paragraphs)
    start = block.period_start.isoformat() if block.period_start else None
    end = block.period_end.isoformat() if block.period_end else None
    assert (block.title, (start, end, block.period_text)) == (title, period)
    assert block.kind == ("roadmap" if title.startswith("Дорожная") else "plan")
