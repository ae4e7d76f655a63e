"""The one import shape (vprplan.importing): a bad file or a bad row writes nothing, a good one is
written whole and audited once; the .xlsx reader keeps its bounds and answers in Russian."""

import io
from dataclasses import dataclass, field

import openpyxl
import pytest

from schools.models import Organization
from tests.factories import RegionFactory, UserFactory
from vprplan.errors import DomainError
from vprplan.importing import (
    ImportPreview,
    ImportRejected,
    RowIssue,
    check_size,
    commit_import,
    issues_sentence,
    read_sheets,
)
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    number: int
    action: str
    errors: list[str] = field(default_factory=list)


def workbook(rows: list[list], *, sheets: int = 1) -> bytes:
    book = openpyxl.Workbook()
    for index in range(sheets):
        sheet = book.active if index == 0 else book.create_sheet(f"Лист{index + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_row_issues_read_as_the_user_sees_them():
    assert str(RowIssue(7, "Нет даты.")) == "Строка 7: Нет даты."
    assert str(RowIssue(None, "Файл пустой.")) == "Файл пустой."
    issues = [RowIssue(3, "Нет даты.").as_dict(), RowIssue(5, "Нет класса.").as_dict()]
    assert issues_sentence(issues) == "Строка 3: Нет даты. (и ещё ошибок: 1)"


def test_size_bounds_refuse_in_russian():
    with pytest.raises(ImportRejected, match="^Файл больше 1 КБ"):
        check_size(b"x" * 2048, max_bytes=1024)
    with pytest.raises(ImportRejected, match="^Файл пустой"):
        check_size(b"  \n", max_bytes=1024)


def test_read_sheets_drops_empty_rows_keeps_numbers_and_bounds_rows():
    content = workbook([["Код ОО", "Класс"], [None, None], ["s1", 5.0], ["=1+1", float("1e300")]])
    ((title, rows),) = read_sheets(content, max_rows=10, empty_rows_to_stop=5)
    assert title == "Sheet"
    assert [n for n, _ in rows] == [1, 3, 4]
    assert rows[1][1] == ["s1", 5]
    with pytest.raises(ImportRejected, match="В файле больше 2 строк"):
        read_sheets(content, max_rows=2, empty_rows_to_stop=5)
    assert len(read_sheets(content, max_rows=3, header_rows=1, empty_rows_to_stop=5, first_only=True)) == 1
    with pytest.raises(ImportRejected, match="^Файл не читается как таблица Excel"):
        read_sheets(b"PK\x03\x04 not a workbook", max_rows=10, empty_rows_to_stop=5)


def _commit(actor, rows: list[Row], *, fail_after_write: bool = False, refuse: bool = False):
    region = RegionFactory()

    def write(report):
        Organization.objects.filter(pk=region.pk).update(name="Записано")
        if refuse:
            raise DomainError("Ничего не сопоставлено.")
        if fail_after_write:
            report.rows[0].errors.append("Строка не записалась.")
        return region, {"organization": region, "rows": len(report.rows)}

    report = commit_import(
        actor=actor, action="results.imported", preview=lambda: ImportPreview(rows=rows), write=write
    )
    region.refresh_from_db()
    return report, region


def test_commit_writes_whole_and_audits_once():
    actor = UserFactory()
    report, region = _commit(actor, [Row(2, "new"), Row(3, "update")])
    assert report.committed and region.name == "Записано"
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.organization, event.data) == (
        "results.imported",
        actor,
        region,
        {"rows": 2},
    )


@pytest.mark.parametrize(
    "rows, options",
    [
        ([Row(2, "new"), Row(3, "error", ["Неверный класс."])], {}),  # a row in error: nothing written
        ([Row(2, "new")], {"fail_after_write": True}),  # a row that fails while writing: rolled back
    ],
)
def test_a_bad_row_writes_nothing(rows, options):
    report, region = _commit(UserFactory(), rows, **options)
    assert not report.committed and region.name != "Записано"
    assert not AuditEvent.objects.exists()
    assert report.issues and all(isinstance(i, RowIssue) for i in report.issues)


def test_a_refusal_while_writing_rolls_back_and_propagates():
    with pytest.raises(DomainError, match="Ничего не сопоставлено"):
        _commit(UserFactory(), [Row(2, "new")], refuse=True)
    assert not Organization.objects.filter(name="Записано").exists()
    assert not AuditEvent.objects.exists()
