"""Real .docx/.xlsx/.csv files laid out like the seed documents, built from their transcriptions
(fixtures/demo/plans/*.json), so that an import can be checked against every row."""

import csv
import io
import json
from pathlib import Path

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from openpyxl.styles import Alignment, Font

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "plans"
FIELDS = {
    "title": "title",
    "deadline": "deadline_text",
    "responsible": "responsible_text",
    "expected_result": "expected_result",
    "note": "note",
}


def load(name: str) -> dict:
    return json.loads((PLANS / f"{name}.json").read_text(encoding="utf-8"))


def split_text(text: str) -> tuple[str, str]:
    """Cut `text` at a space near its middle where the rest starts in lower case, as a page
    break cuts a row in Word. ("", "") pieces are never produced for a text that can be cut."""
    words = text.split(" ")
    middle = len(words) // 2
    for offset in range(len(words)):
        for i in (middle + offset, middle - offset):
            if 0 < i < len(words) and words[i][:1].islower():
                return " ".join(words[:i]), " ".join(words[i:])
    return text, ""


def rows_of(plan: dict, *, section_cells, number: bool, broken: set[tuple[int, int]]):
    """The table rows as [("section"|"row", [texts])], with the activities in `broken` (section
    index, activity index) cut across two rows like a page break."""
    keys = [k for k, _ in plan["columns"]]
    out = []
    for s_index, section in enumerate(plan["sections"]):
        out.append(("section", section_cells(section, keys)))
        for a_index, a in enumerate(section["activities"]):
            values = {k: a.get(FIELDS[k], "") for k in keys if k != "number"}
            values["number"] = a.get("source_number", "") if number else ""
            if (s_index, a_index) not in broken:
                out.append(("row", [values[k] for k in keys]))
                continue
            first, second = dict(values), {k: "" for k in keys}
            for key in ("title", "expected_result", "responsible", "note"):
                if key in keys and values[key]:
                    first[key], second[key] = split_text(values[key])
                    if not second[key]:
                        first[key] = values[key]
            out.append(("row", [first[k] for k in keys]))
            out.append(("empty", ["" for _ in keys]))  # the blank line of a page break
            out.append(("row", [second[k] for k in keys]))
    return out


def _docx_paragraph(document, text, *, bold=False, center=False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if center:
        paragraph.alignment = 1
    return paragraph


def build_docx(
    plan: dict, *, above: list[str], rows, merged_sections: bool, bold_sections: bool, tables_after: int = 0
) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    for line in above:
        _docx_paragraph(document, line, bold=line.isupper(), center=True)
    keys = [k for k, _ in plan["columns"]]
    table = document.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    for cell, (_, heading) in zip(table.rows[0].cells, plan["columns"], strict=True):
        cell.text = heading
    for kind, texts in rows:
        cells = table.add_row().cells
        if kind == "section" and merged_sections:
            merged = cells[0].merge(cells[-1])
            merged.paragraphs[0].add_run(" ".join(t for t in texts if t)).bold = bold_sections
            continue
        for cell, text in zip(cells, texts, strict=True):
            if text:
                cell.paragraphs[0].add_run(text).bold = kind == "section" and bold_sections
    for _ in range(tables_after):  # a signature block laid out as a table, as orders often do
        document.add_paragraph("")
        sign = document.add_table(rows=1, cols=2)
        sign.rows[0].cells[0].text = "Начальник Отдела образования"
        sign.rows[0].cells[1].text = "Э.О. Круглова"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_xlsx(plan: dict, *, above: list[str], rows, trailing_empty: int = 0) -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "План"
    width = len(plan["columns"])
    r = 1
    for line in above:
        ws.cell(r, 1, line).font = Font(bold=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    r += 1
    for c, (_, heading) in enumerate(plan["columns"], start=1):
        ws.cell(r, c, heading).font = Font(bold=True)
    for kind, texts in rows:
        r += 1
        for c, text in enumerate(texts, start=1):
            if text:
                cell = ws.cell(r, c, text)
                cell.alignment = Alignment(wrap_text=True)
                cell.font = Font(bold=kind == "section")
    for extra in range(trailing_empty):  # what LibreOffice leaves: styled rows with nothing in them
        ws.cell(r + 1 + extra, 1).font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_csv(plan: dict, *, above: list[str], rows, encoding="cp1251", delimiter=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    keys = [k for k, _ in plan["columns"]]
    for line in above:
        writer.writerow([line] + [""] * (len(keys) - 1))
    writer.writerow([heading for _, heading in plan["columns"]])
    for kind, texts in rows:
        if kind != "empty":
            writer.writerow(texts)
    return buffer.getvalue().encode(encoding)


# The three seeds, each in its own layout.

INTA_ABOVE = [
    "Приложение к приказу Отдела образования администрации МО «Инта»",
    "от «29» 02 2024 года № 51",
    "",
    "ПЛАН МЕРОПРИЯТИЙ",
    "(«Дорожная карта») по обеспечению объективности результатов ВПР",
    "на территории МО «Инта» в 2023-2024 учебном году",
]
SEVERO_ABOVE = [
    "ПЛАН МЕРОПРИЯТИЙ",
    "по обеспечению объективности при проведении оценочных процедур",
    "в Северо-Енисейском районе на 2023-2024 годы",
]
SCHOOL_ABOVE = [
    "РАССМОТРЕНО",
    "На педагогическом совете МБОУ СОШ №107",
    "УТВЕРЖДАЮ:",
    "Директор МБОУ СОШ №107",
    "Рогожина О.А.",
    "от 11.09.2020",
    "",
    "План мероприятий,\nповышения объективности оценки образовательных результатов\n"
    "знаний обучающихся в МБОУ СОШ № 107",
    "",
]


def inta_docx() -> tuple[dict, bytes]:
    """No number column; sections merged and bold, «I.» in the text; two rows cut by a page."""
    plan = load("inta-2023-2024")
    rows = rows_of(
        plan,
        section_cells=lambda s, keys: [f"{s['source_number']} {s['title']}"] + [""] * (len(keys) - 1),
        number=False,
        broken={(1, 3), (2, 2)},
    )
    return plan, build_docx(
        plan, above=INTA_ABOVE, rows=rows, merged_sections=True, bold_sections=True, tables_after=1
    )


def severo_rows(plan):
    return rows_of(
        plan,
        section_cells=lambda s, keys: [s["source_number"], s["title"]] + [""] * (len(keys) - 2),
        number=True,
        broken={(2, 0), (2, 4), (3, 2), (4, 1)},
    )


def severo_docx() -> tuple[dict, bytes]:
    """«№п/п» and «Примечание»; sections «I», «2»… in the number cell; rows cut by pages."""
    plan = load("severo-eniseysky-2023-2024")
    return plan, build_docx(
        plan, above=SEVERO_ABOVE, rows=severo_rows(plan), merged_sections=False, bold_sections=False
    )


def severo_xlsx() -> tuple[dict, bytes]:
    plan = load("severo-eniseysky-2023-2024")
    return plan, build_xlsx(plan, above=SEVERO_ABOVE, rows=severo_rows(plan), trailing_empty=50)


def school_rows(plan):
    return rows_of(
        plan,
        section_cells=lambda s, keys: [f"{s['source_number']} {s['title']}"] + [""] * (len(keys) - 1),
        number=True,
        broken=set(),
    )


def school_docx() -> tuple[dict, bytes]:
    """Stamps, goals and tasks above; «1.» sections as bold merged rows; «1.1.» numbers."""
    plan = load("school-107-2020")
    above = SCHOOL_ABOVE[:-1] + ["Цели:", *plan["goals"], "Задачи:", *plan["tasks"], ""]
    return plan, build_docx(
        plan, above=above, rows=school_rows(plan), merged_sections=True, bold_sections=True
    )


def school_csv() -> tuple[dict, bytes]:
    """The school's plan as CSV in Windows-1251 with «;»; sections as «1.» in the number column."""
    plan = load("school-107-2020")
    rows = rows_of(
        plan,
        section_cells=lambda s, keys: [s["source_number"], s["title"]] + [""] * (len(keys) - 2),
        number=True,
        broken=set(),
    )
    above = [
        "УТВЕРЖДАЮ: Директор МБОУ СОШ №107 от 11.09.2020",
        "План мероприятий, повышения объективности "
        "оценки образовательных результатов знаний обучающихся в МБОУ СОШ № 107",
    ]
    return plan, build_csv(plan, above=above, rows=rows)
