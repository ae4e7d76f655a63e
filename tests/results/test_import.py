"""Importing the ФИС ОКО statistics exports: realistic files built with openpyxl, tolerant of the
wording, merged headings and percentages; preview first, all or nothing."""

import pytest

from results.importing.reader import Defaults, parse_workbook
from results.importing.service import results_import, serialise
from results.models import VprResult
from tests.results import files
from vprplan.errors import DomainError
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

REGION_ROW = ("Регион А", 1000, [100, 400, 350, 150])


def run(w, content, *, area=None, commit=True, actor=None, defaults=None):
    rows, _notes = parse_workbook(content, defaults)
    return results_import(
        area=area or w.m1,
        actor=actor or w.coordinator,
        rows=serialise(rows),
        commit=commit,
        filename="f.xlsx",
    )


def test_marks_in_percent_under_a_merged_heading_are_read_as_counts(world):
    world.s1.fis_oko_login = "sch000001"
    world.s1.save()
    content = files.marks_file(
        [
            REGION_ROW,
            ("Муниципалитет 1", 120, [6, 40, 50, 24]),
            ("(sch000001) МБОУ «Школа 1»", 50, [1, 4, 20, 25]),
        ]
    )
    report = run(world, content)
    assert report.committed and report.summary["error"] == 0
    assert [r.action for r in report.rows] == ["skip", "new", "new", "new"]  # «Вся выборка» is skipped
    s1 = VprResult.objects.get(organization=world.s1)
    assert (s1.year, s1.subject, s1.grade, s1.participants) == (2025, "Математика", 5, 50)
    assert s1.marks == (1, 4, 20, 25)  # 2 %, 8 %, 40 %, 50 % of 50
    assert VprResult.objects.get(organization=world.region).marks == (100, 400, 350, 150)
    assert VprResult.objects.get(organization=world.m1).participants == 120
    event = AuditEvent.objects.get(action="results.imported")
    assert event.data["new"] == 3 and event.organization_id == world.m1.pk


def test_counts_synonyms_and_a_single_header_row(world):
    content = files.marks_file(
        [("Школа 2", 40, [2, 10, 20, 8])],
        in_percent=False,
        merged=False,
        participants_heading="Количество участников",
        org_heading="Наименование ОО",
    )
    report = run(world, content)
    assert report.committed
    assert VprResult.objects.get(organization=world.s2).marks == (2, 10, 20, 8)


def test_score_distribution_and_journal_complete_the_same_result(world):
    world.s1.fis_oko_login = "sch000001"
    world.s1.save()
    run(world, files.marks_file([("(sch000001) Школа 1", 50, [1, 4, 20, 25])]))
    scores = [0, 1, 1, 2, 2, 1, 12, 2, 2, 2, 2, 3, 3, 3, 3, 1, 5, 2, 2, 1, 0]
    report = run(world, files.scores_file([("(sch000001) Школа 1", 50, scores)]))
    assert [r.action for r in report.rows] == ["update"]
    run(world, files.journal_file([("Регион А", [300, 600, 100]), ("(sch000001) Школа 1", [1, 37, 12])]))
    s1 = VprResult.objects.get(organization=world.s1)
    assert s1.scores == scores and s1.journal == (1, 37, 12) and s1.marks == (1, 4, 20, 25)
    assert VprResult.objects.get(organization=world.region).journal == (300, 600, 100)


def test_journal_in_columns_with_percentages(world):
    content = files.journal_columns_file([("Школа 1", 50, [5, 40, 5])])
    run(world, content)
    assert VprResult.objects.get(organization=world.s1, subject="Русский язык", grade=4).journal == (5, 40, 5)


def test_a_second_run_changes_nothing(world):
    content = files.marks_file([("Школа 1", 50, [1, 4, 20, 25])])
    run(world, content)
    report = run(world, content)
    assert [r.action for r in report.rows] == ["skip", "same"]


def test_other_municipalities_schools_are_skipped_without_a_trace(world):
    content = files.marks_file(
        [("Школа 1", 50, [1, 4, 20, 25]), ("Школа 3", 50, [1, 4, 20, 25]), ("Школа 4", 30, [1, 4, 20, 5])]
    )
    report = run(world, content)
    assert [r.action for r in report.rows] == ["skip", "new", "skip", "skip"]
    assert "нет среди организаций: Муниципалитет 1" in report.rows[2].notes[0]
    assert not VprResult.objects.filter(organization__in=[world.s3, world.s4]).exists()


def test_a_municipality_never_overwrites_the_regions_row_but_the_region_does(world):
    VprResult.objects.create(organization=world.region, year=2025, subject="Математика", grade=5, participants=1000,
                             marks_2=100, marks_3=400, marks_4=350, marks_5=150)  # fmt: skip
    content = files.marks_file([("Регион А", 1000, [200, 400, 300, 100])])
    report = run(world, content)
    assert report.rows[1].action == "skip" and "оставлены прежние" in report.rows[1].notes[0]
    assert VprResult.objects.get(organization=world.region).marks_2 == 100
    report = run(world, content, area=world.region, actor=world.admin)
    assert report.rows[1].action == "update"
    assert VprResult.objects.get(organization=world.region).marks_2 == 200


def test_any_error_writes_nothing(world):
    content = files.marks_file(
        [("Школа 1", 50, [1, 4, 20, 25]), ("Школа 2", 50, [1, 4, 20, 20])], in_percent=False
    )
    report = run(world, content)
    assert not report.committed and [r.action for r in report.rows] == ["new", "error"]
    assert "Сумма отметок (45) не равна числу участников (50)." in report.rows[1].errors
    assert not VprResult.objects.exists()


def test_the_form_supplies_what_the_file_does_not_say(world):
    content = files.marks_file([("Школа 1", 50, [1, 4, 20, 25])], year=None, subject="", grade=None)
    report = run(world, content, commit=False)
    assert report.rows[1].action == "error" and report.rows[1].year == 2025  # from «Дата: 22.04.2025»
    assert report.rows[1].errors == [
        "Не указан предмет: его нет ни в файле, ни в форме загрузки.",
        "Не указан класс: его нет ни в файле, ни в форме загрузки.",
    ]
    report = run(world, content, defaults=Defaults(year=2024, subject="Русский язык", grade=6))
    assert report.committed
    assert VprResult.objects.filter(
        organization=world.s1, subject="Русский язык", grade=6, year=2025
    ).exists()


def test_preview_writes_nothing(world):
    report = run(world, files.marks_file([("Школа 1", 50, [1, 4, 20, 25])]), commit=False)
    assert [r.action for r in report.rows] == ["skip", "new"] and not VprResult.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet at all", "Файл не читается как таблица Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "старом формате .xls"),
    ],
)
def test_a_bad_file_gets_a_russian_message(content, message):
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_workbook(content)


def test_a_sheet_that_is_not_an_export_is_explained():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Просто список", "без заголовков"])
    import io

    out = io.BytesIO()
    book.save(out)
    with pytest.raises(DomainError, match="не найдена строка заголовков"):
        parse_workbook(out.getvalue())


def test_only_the_coordinator_or_the_regional_admin_imports(world):
    content = files.marks_file([("Школа 1", 50, [1, 4, 20, 25])])
    for user in (world.head, world.school, world.neighbour_coordinator):
        with pytest.raises(DomainError, match="загружает муниципальный координатор"):
            run(world, content, actor=user)
    assert not VprResult.objects.exists()
