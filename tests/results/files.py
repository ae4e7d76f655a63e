"""Spreadsheets shaped like the ФИС ОКО statistics exports, built with openpyxl.

The real reports put a few title lines above the table («Всероссийские проверочные работы 2025
(5 класс)», «Предмет: Математика»), a merged group heading over «2 3 4 5» or over the primary
scores, the whole sample, the region, the municipality and then «(sch123456) School» rows, and
percentages rather than counts.
"""

import io

from openpyxl import Workbook


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(sheet, *, year, subject, grade, report):
    sheet.append([f"Всероссийские проверочные работы {year} ({grade} класс)"] if year and grade else ["ВПР"])
    sheet.append([f"Дата: 22.04.{year or 2025}"])
    sheet.append([f"Предмет: {subject}"] if subject else [""])
    sheet.append([report])
    sheet.append([])


def percents(counts: list[int]) -> list[float]:
    total = sum(counts)
    return [round(100 * c / total, 2) for c in counts]


def marks_file(
    rows: list[tuple[str, int, list[int]]],
    *,
    year=2025,
    subject="Математика",
    grade=5,
    in_percent=True,
    participants_heading="Кол-во уч.",
    org_heading="ОО",
    merged=True,
) -> bytes:
    """«Статистика по отметкам»: rows are (label, participants, [«2», «3», «4», «5»] counts)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Статистика по отметкам"
    _title(sheet, year=year, subject=subject, grade=grade, report="Статистика по отметкам")
    if merged:
        group = "Распределение групп баллов в %" if in_percent else "Распределение отметок (кол-во)"
        sheet.append([org_heading, "Кол-во ОО", participants_heading, group, None, None, None])
        sheet.merge_cells(start_row=sheet.max_row, start_column=4, end_row=sheet.max_row, end_column=7)
        sheet.append([None, None, None, 2, 3, 4, 5])
    else:
        sheet.append([org_heading, "Кол-во ОО", participants_heading, "«2»", "«3»", "«4»", "«5»"])
    sheet.append(["Вся выборка", 39000, 1300000, 10.2, 35.1, 38.4, 16.3] if in_percent else [])
    for label, n, counts in rows:
        values = percents(counts) if in_percent else counts
        sheet.append([label, None, n, *values])
    return _save(book)


def scores_file(
    rows: list[tuple[str, int, list[int]]], *, year=2025, subject="Математика", grade=5, in_percent=True
) -> bytes:
    """«Распределение первичных баллов»: rows are (label, participants, counts for 0, 1, 2…)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Распределение баллов"
    _title(sheet, year=year, subject=subject, grade=grade, report="Распределение первичных баллов")
    width = max(len(c) for _l, _n, c in rows)
    sheet.append(
        ["ОО", "Количество участников", "Распределение первичных баллов (% участников)"]
        + [None] * (width - 1)
    )
    sheet.merge_cells(start_row=sheet.max_row, start_column=3, end_row=sheet.max_row, end_column=2 + width)
    sheet.append([None, None, *range(width)])
    for label, n, counts in rows:
        counts = counts + [0] * (width - len(counts))
        sheet.append([label, n, *(percents(counts) if in_percent else counts)])
    return _save(book)


def journal_file(rows: list[tuple[str, list[int]]], *, year=2025, subject="Математика", grade=5) -> bytes:
    """«Сравнение отметок с отметками по журналу», vertical as the ФИС ОКО gives it: an
    organisation's row, then «Понизили…», «Подтвердили…», «Повысили…», «Всего»."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Сравнение с журналом"
    _title(sheet, year=year, subject=subject, grade=grade, report="Сравнение отметок с отметками по журналу")
    sheet.append(["Группы участников", "Кол-во участников", "%"])
    for label, (lowered, confirmed, raised) in rows:
        total = lowered + confirmed + raised
        sheet.append([label, None, None])
        sheet.append(["Понизили (Отметка < Отметка по журналу) %", lowered, round(100 * lowered / total, 2)])
        sheet.append(
            ["Подтвердили (Отметка = Отметке по журналу) %", confirmed, round(100 * confirmed / total, 2)]
        )
        sheet.append(["Повысили (Отметка > Отметка по журналу) %", raised, round(100 * raised / total, 2)])
        sheet.append(["Всего", total, 100])
    return _save(book)


def journal_columns_file(
    rows: list[tuple[str, int, list[int]]], *, year=2025, subject="Русский язык", grade=4
) -> bytes:
    """A regional variant: one row per organisation, «Понизили / Подтвердили / Повысили» in %."""
    book = Workbook()
    sheet = book.active
    _title(sheet, year=year, subject=subject, grade=grade, report="Сравнение с журналом")
    sheet.append(["Наименование ОО", "Кол-во участников", "Понизили, %", "Подтвердили, %", "Повысили, %"])
    for label, n, counts in rows:
        sheet.append([label, n, *percents(counts)])
    return _save(book)


def flag_list_file(rows: list[list], headings=None) -> bytes:
    """A published list of schools with признаки необъективности."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Перечень ОО с признаками необъективных результатов ВПР-2025"])
    sheet.append([])
    sheet.append(
        headings
        or ["№ п/п", "Субъект РФ", "Муниципалитет", "Логин ОО", "Наименование ОО", "Предмет", "Класс"]
    )
    for row in rows:
        sheet.append(row)
    return _save(book)
