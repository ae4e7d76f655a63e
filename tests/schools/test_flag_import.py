"""Importing a published list of schools with признаки необъективности: matched by ФИС ОКО login,
else by name with doubtful matches left to the user; nothing written until confirmed."""

import pytest

from schools.choices import FlagSource
from schools.flag_import import core, flags_import, match_rows, read_flag_list
from schools.models import UnobjectivityFlag
from tests.factories import SchoolFactory
from tests.results import files
from vprplan.errors import DomainError
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(world):
    w = world
    w.s1.fis_oko_login, w.s1.name, w.s1.short_name = (
        "sch110001",
        "МБОУ «Средняя общеобразовательная школа № 5» г. Инты",
        "СОШ № 5",
    )
    w.s1.save()
    w.s2.name, w.s2.short_name = "МБОУ «Гимназия № 2»", "Гимназия № 2"
    w.s2.save()
    w.orgs["s5"] = SchoolFactory(
        parent=w.m1, code="s5", name="МБОУ «Средняя общеобразовательная школа № 6» г. Инты"
    )
    w.s3.fis_oko_login = "sch110003"
    w.s3.save()
    return w


LIST = [
    [1, "Регион А", "Муниципалитет 1", "sch110001", "МБОУ СОШ № 5", "Математика", "5"],
    [2, "Регион А", "Муниципалитет 1", "sch110001", "МБОУ СОШ № 5", "Русский язык", "4, 5"],
    [3, "Регион А", "Муниципалитет 1", "", "МБОУ \"Гимназия №2\"", "Математика", "6"],
    [4, "Регион А", "Муниципалитет 1", "", "Муниципальное бюджетное общеобразовательное учреждение средняя школа 6 Инта", "История", "7"],
    [5, "Регион А", "Муниципалитет 2", "sch110003", "Школа 3", "Физика", "8"],
    [6, "Регион Б", "Муниципалитет 3", "sch999999", "Школа 4", "Химия", "8"],
]  # fmt: skip


def test_schools_are_matched_by_login_by_name_or_left_doubtful(schools):
    w = schools
    rows = read_flag_list(files.flag_list_file(LIST))
    assert len(rows) == 5  # the two rows of СОШ № 5 are one school
    found = {r.label: r for r in match_rows(rows, w.m1)}
    s5 = found["МБОУ СОШ № 5"]
    assert (s5.match, s5.school_id, s5.subjects, s5.grades) == (
        "login",
        w.s1.pk,
        ["Математика", "Русский язык"],
        ["5", "4"],
    )
    assert (found['МБОУ "Гимназия №2"'].match, found['МБОУ "Гимназия №2"'].school_id) == ("name", w.s2.pk)
    doubtful = found["Муниципальное бюджетное общеобразовательное учреждение средняя школа 6 Инта"]
    assert doubtful.match == "doubtful" and doubtful.candidates[0][0] == w.s5.pk
    assert all(pk != w.s1.pk for pk, _name in doubtful.candidates)  # № 5 is not № 6
    assert found["Школа 3"].match == "none" and found["Школа 4"].match == "none"  # other municipalities


def test_nothing_is_written_until_confirmed_and_then_all_together(schools):
    w = schools
    rows = read_flag_list(files.flag_list_file(LIST))
    match_rows(rows, w.m1)
    assert not UnobjectivityFlag.objects.exists()
    doubtful = next(r for r in match_rows(rows, w.m1) if r.match == "doubtful")
    counts = flags_import(area=w.m1, actor=w.coordinator, year=2025, source=FlagSource.ROSOBRNADZOR, rows=rows,
                          choices={doubtful.key: w.s5.pk})  # fmt: skip
    assert counts == {"created": 3, "updated": 0, "same": 0, "skipped": 2}
    flag = UnobjectivityFlag.objects.get(school=w.s1)
    assert (flag.year, flag.source, flag.subjects, flag.grades) == (
        2025,
        "rosobrnadzor",
        "Математика, Русский язык",
        "4, 5",
    )
    assert not UnobjectivityFlag.objects.filter(school=w.s3).exists()
    assert AuditEvent.objects.filter(action="flag.created").count() == 3
    assert AuditEvent.objects.get(action="flag.imported").data["created"] == 3
    # Again: nothing new; an unresolved doubtful row is skipped.
    counts = flags_import(
        area=w.m1, actor=w.coordinator, year=2025, source="rosobrnadzor", rows=rows, choices={}
    )
    assert counts == {"created": 0, "updated": 0, "same": 2, "skipped": 3}


def test_a_doubtful_choice_must_be_one_of_its_candidates(schools):
    w = schools
    rows = read_flag_list(files.flag_list_file(LIST[3:4]))
    row = match_rows(rows, w.m1)[0]
    with pytest.raises(DomainError, match="ничего не загружено"):
        flags_import(area=w.m1, actor=w.coordinator, year=2025, source="rosobrnadzor", rows=rows,
                     choices={row.key: w.s3.pk})  # fmt: skip
    assert not UnobjectivityFlag.objects.exists()


def test_only_the_coordinator_or_the_admin_imports(schools):
    rows = read_flag_list(files.flag_list_file(LIST[:1]))
    with pytest.raises(DomainError, match="муниципальный координатор"):
        flags_import(
            area=schools.m1, actor=schools.head, year=2025, source="rosobrnadzor", rows=rows, choices={}
        )
    assert not UnobjectivityFlag.objects.exists()


def test_headings_in_other_words_and_logins_inside_the_name(schools):
    content = files.flag_list_file(
        [["(sch110001) МБОУ СОШ № 5", "математика; русский язык", "5"]],
        headings=["Образовательная организация", "Учебные предметы", "Параллели"],
    )
    row = match_rows(read_flag_list(content), schools.m1)[0]
    assert (row.match, row.login, row.subjects) == ("login", "sch110001", ["Математика", "Русский язык"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"garbage", "Файл не читается как таблица Excel"),
        (files.flag_list_file([["x", "y"]], headings=["Дата", "Сумма"]), "не найдена строка заголовков"),
    ],
)
def test_a_bad_file_gets_a_russian_message(content, message):
    with pytest.raises(DomainError, match=message):
        read_flag_list(content)


def test_names_are_compared_without_legal_forms_and_long_words():
    assert core(
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 5»"
    ) == (core("МБОУ СОШ №5"))


def test_a_grade_of_5000_digits_is_no_grade(schools):
    """Found by the fuzz test with 1,000 cases: the grades were sorted as int() of 5,000 digits (500)."""
    rows = read_flag_list(
        files.flag_list_file(
            [[1, "Регион А", "М1", "sch110001", "СОШ № 5", "Математика", "9" * 5000 + ", 5"]]
        )
    )
    counts = flags_import(
        area=schools.m1, actor=schools.coordinator, year=2025, source="regional", rows=rows, choices={}
    )
    assert counts["created"] == 1
    assert UnobjectivityFlag.objects.get(school=schools.s1).grades == "5"
