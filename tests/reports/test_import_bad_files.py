"""Bad files get a clear Russian message and write nothing; no file makes the parsers raise
anything but ImportFileError."""

import io
import zipfile

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import Plan, ResponsibleRole
from reports.imports.draft import read_plan
from reports.imports.errors import ImportFileError
from reports.imports.readers import OLE_MAGIC
from reports.imports.services import PlanImportError, plan_import
from tests.reports import documents


def docx_with_tables(*tables, paragraphs=("План мероприятий на 2024 год",)) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=0, cols=len(rows[0]))
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


HEADER = ["№ п/п", "Наименование мероприятия", "Сроки реализации", "Ответственные"]


def refused(data: bytes, name: str) -> str:
    with pytest.raises(ImportFileError) as info:
        read_plan(data, name)
    return str(info.value)


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "plan.docx", "пустой"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "plan.csv", "не похож на документ"),
        (
            OLE_MAGIC + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64,
            "plan.docx",
            "паролем",
        ),
        (OLE_MAGIC + b"\0" * 512, "plan.doc", "старого формата"),
        (b"PK\x03\x04" + b"\0" * 200, "plan.docx", "повреждён"),
        (b"%PDF-1.7\n" + b"\xff\xfe" * 100, "plan.pdf", "не документ этого типа"),
    ],
    ids=["empty", "binary", "password", "old-doc", "broken-zip", "pdf"],
)
def test_not_a_readable_document(data, name, words):
    assert words in refused(data, name)


def test_truncated_docx_is_called_damaged():
    _, data = documents.inta_docx()
    assert "повреждён" in refused(data[: len(data) // 2], "inta.docx")


def test_zip_that_is_not_an_office_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "архив, а не документ" in refused(buffer.getvalue(), "plan.docx")


def test_document_without_a_table_or_a_recognisable_header():
    document = docx.Document()
    document.add_paragraph("План мероприятий")
    buffer = io.BytesIO()
    document.save(buffer)
    assert "нет таблицы" in refused(buffer.getvalue(), "plan.docx")
    data = docx_with_tables([["Фамилия", "Имя", "Класс"], ["Иванов", "Иван", "5А"]])
    assert "строка заголовков" in refused(data, "plan.docx")


def test_file_over_the_size_limit(settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1024
    _, data = documents.severo_docx()
    assert refused(data, "severo.docx") == "Файл больше 1 КБ: загрузите файл меньшего размера."


def test_formulas_in_the_plan_sheet_are_refused():
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(HEADER)
    ws.append(["1.1", "Мероприятие", "Постоянно", "=A1&B1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = refused(buffer.getvalue(), "plan.xlsx")
    assert "формулы" in message and "D2" in message


def test_several_plan_tables_with_different_columns_are_refused():
    data = docx_with_tables(
        [HEADER, ["1.1", "Первое", "Постоянно", "Руководители ОО"]],
        [["Мероприятия", "Результат"], ["Второе", "Протокол"]],
    )
    message = refused(data, "plan.docx")
    assert "несколько таблиц плана" in message and "таблица 1, таблица 2" in message


def test_a_plan_table_split_in_two_is_read_as_one():
    data = docx_with_tables(
        [HEADER, ["1", "Первый раздел", "", ""], ["1.1", "Первое", "Постоянно", "Руководители ОО"]],
        [
            HEADER,
            ["1.2", "Второе", "Ежегодно", "Руководители ОО"],
            ["2", "Второй раздел", "", ""],
            ["2.1", "Третье", "Постоянно", ""],
        ],
    )
    draft = read_plan(data, "plan.docx")
    assert [(s["title"], [a["title"] for a in s["activities"]]) for s in draft.sections] == [
        ("Первый раздел", ["Первое", "Второе"]),
        ("Второй раздел", ["Третье"]),
    ]


@pytest.mark.django_db
def test_an_empty_table_writes_nothing(world):
    draft = read_plan(docx_with_tables([HEADER, ["", "", "", ""]]), "plan.docx")
    assert draft.errors == [{"row": None, "message": "В таблице плана нет ни одного мероприятия."}]
    with pytest.raises(PlanImportError):
        plan_import(draft=draft, owner=world.m1, actor=world.coordinator)
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_row_errors_carry_their_row_number_and_nothing_is_written(world):
    rows = [
        HEADER,
        ["", "", "Постоянно", "Отдел образования"],  # no title and nothing above to continue
        ["1", "Раздел", "", ""],
        ["1.1", "Мероприятие", "д" * 501, "Новая роль"],
    ]
    draft = read_plan(docx_with_tables(rows), "plan.docx")
    assert [e["row"] for e in draft.errors] == [2, 4]
    assert "Нет наименования" in draft.errors[0]["message"] and "500" in draft.errors[1]["message"]
    with pytest.raises(PlanImportError) as info:
        plan_import(draft=draft, owner=world.m1, actor=world.coordinator)
    assert str(info.value).startswith("Строка 2: Нет наименования")
    assert not Plan.objects.exists() and not ResponsibleRole.objects.exists()


def test_csv_in_utf8_with_commas_and_multiline_cells():
    text = (
        "План мероприятий на 2024 год\n"
        "№ п/п,Мероприятия,Срок,Ответственный\n"
        "1.,Раздел один,,\n"
        '1.1.,"Первое\nвторая строка",Постоянно,"Руководители ОО; Классные руководители"\n'
        ",,,\n"
    )
    draft = read_plan(text.encode("utf-8"), "plan.csv")
    assert draft.format == "csv" and draft.errors == []
    (section,) = draft.sections
    assert section["title"] == "Раздел один"
    assert section["activities"][0]["title"] == "Первое\nвторая строка"


def test_docx_cells_of_several_paragraphs_and_empty_columns():
    document = docx.Document()
    document.add_paragraph("План мероприятий на 2024-2025 учебный год")
    table = document.add_table(rows=3, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ["№ п/п", "Меры/мероприятия", "", "Срок", "Результат"], strict=True
    ):
        cell.text = text
    table.rows[1].cells[1].text = "Организационные меры"
    title_cell = table.rows[2].cells[1]
    title_cell.text = "Совещание:"
    title_cell.add_paragraph("- с руководителями ОО;")
    title_cell.add_paragraph("")
    title_cell.add_paragraph("- с родителями.")
    table.rows[2].cells[3].text = "Сентябрь"
    buffer = io.BytesIO()
    document.save(buffer)
    draft = read_plan(buffer.getvalue(), "plan.docx")
    assert draft.columns == [
        ["number", "№ п/п"],
        ["title", "Меры/мероприятия"],
        ["deadline", "Срок"],
        ["expected_result", "Результат"],
    ]
    (section,) = draft.sections
    assert section["title"] == "Организационные меры"
    assert section["activities"][0]["title"] == "Совещание:\n- с руководителями ОО;\n- с родителями."
    assert (draft.period_start, draft.period_end) == ("2024-09-01", "2025-08-31")


# Property-based: whatever the bytes, the parsers answer with a draft or ImportFileError.

SEEDS = [documents.inta_docx()[1], documents.severo_xlsx()[1], documents.school_csv()[1]]
NAMES = ["plan.docx", "plan.xlsx", "plan.csv"]
SETTINGS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def read_or_refuse(data: bytes, name: str) -> None:
    try:
        read_plan(data, name)
    except ImportFileError as exc:
        assert str(exc)


@SETTINGS
@given(st.binary(max_size=4096), st.sampled_from(NAMES + ["plan.txt"]))
def test_random_bytes(data, name):
    read_or_refuse(data, name)


@SETTINGS
@given(
    st.integers(0, 2),
    st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=12),
    st.integers(0, 10**7),
)
def test_mutated_real_files(which, flips, cut):
    data = bytearray(SEEDS[which])
    for position, value in flips:
        data[position % len(data)] = value
    read_or_refuse(bytes(data[: max(1, cut % (len(data) + 1))]), NAMES[which])


CELL = st.text(alphabet='IVX1234567890.;, \n-абвгдеАБВГДЕёЁ№п/«»"', max_size=30) | st.sampled_from(
    ["№ п/п", "Мероприятия", "Срок", "Ответственные", "Результат", "Примечание", "I.", "1.1", ""]
)


@SETTINGS
@given(st.lists(st.lists(CELL, min_size=1, max_size=7), max_size=25), st.sampled_from([";", ","]))
def test_random_tables_as_csv(rows, delimiter):
    text = "\n".join(
        delimiter.join(f'"{c}"' if ("\n" in c or delimiter in c) else c for c in row) for row in rows
    )
    for encoding in ("utf-8", "cp1251"):
        read_or_refuse(text.replace('"', "").encode(encoding, errors="replace"), "plan.csv")
        read_or_refuse(text.encode(encoding, errors="replace"), "plan.csv")


@SETTINGS
@given(st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=12))
def test_random_tables_as_docx(rows):
    read_or_refuse(docx_with_tables([HEADER, *rows]), "plan.docx")
