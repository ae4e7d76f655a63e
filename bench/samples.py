"""Sample documents the bench and the tests share: a plan as departments keep it in Word."""

import io

import docx

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


def plan_docx(sections: int = 6, per_section: int = 25) -> bytes:
    """A .docx plan: a title paragraph and one table of numbered sections and activities."""
    document = docx.Document()
    document.add_paragraph("ПЛАН МЕРОПРИЯТИЙ по обеспечению объективности ВПР на 2023-2024 учебный год")
    table = document.add_table(rows=1, cols=5)
    header = ["№ п/п", "Мероприятия", "Срок реализации", "Ответственные", "Ожидаемый результат"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for s in range(1, sections + 1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(s), f"Раздел {s}"
        for a in range(1, per_section + 1):
            n = (s - 1) * per_section + a
            values = [
                f"{s}.{a}",
                f"Мероприятие {s}.{a}",
                DEADLINES[n % 5],
                RESPONSIBLE[n % 5],
                f"Результат {n}",
            ]
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
