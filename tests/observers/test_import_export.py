"""The schedule's .xlsx import (preview, all or nothing, scope), the observers' registry through
django-import-export, and the «График распределения» as .xlsx and PDF."""

import io
import shutil
import subprocess
from datetime import date, datetime, time

import openpyxl
import pytest
import tablib
from django.urls import reverse

from observers.exports import render_schedule_pdf, schedule_xlsx
from observers.models import Observer
from observers.resources import ObserverResource
from observers.services import observer_assign
from schools.exports import sessions_xlsx
from schools.models import VprSession
from schools.schedule_import import read_sheet, schedule_import
from vprplan.errors import DomainError

pytestmark = pytest.mark.django_db
HEAD = [
    "Код ОО",
    "Предмет",
    "Класс",
    "Литеры",
    "Дата",
    "Начало",
    "Окончание",
    "Форма",
    "Аудитории",
    "Участников",
]


def workbook(rows, *, trailing_empty=0) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    for i in range(trailing_empty):  # LibreOffice's formatted empty rows
        ws.cell(len(rows) + 2 + i, 1).number_format = "@"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rows_of(vpr, *extra):
    return [
        [
            "s1",
            "История",
            6.0,
            "А, Б",
            datetime(2024, 4, 19),
            time(9, 0),
            time(9, 45),
            "бумажная",
            "каб. 5",
            40.0,
        ],
        ["s1", "Биология", "7", "", "20.04.2024", "10:00", "", "computer", "", ""],  # a Saturday
        *extra,
    ]


def test_preview_writes_nothing_and_commit_writes_everything(vpr):
    rows = read_sheet(workbook(rows_of(vpr), trailing_empty=300))
    report = schedule_import(campaign=vpr.campaign, actor=vpr.school, rows=rows, commit=False)
    assert [r.action for r in report.rows] == ["new", "new"] and not report.has_errors
    assert [r.number for r in report.rows] == [2, 3]
    assert report.rows[1].warnings == ["20.04.2024 (суббота) — выходной день по производственному календарю."]
    assert VprSession.objects.filter(subject__in=["История", "Биология"]).count() == 0
    report = schedule_import(campaign=vpr.campaign, actor=vpr.school, rows=rows, commit=True)
    assert report.committed
    history = VprSession.objects.get(subject="История")
    assert (history.date, history.starts_at, history.grade, history.participants) == (
        date(2024, 4, 19),
        time(9),
        6,
        40,
    )
    assert VprSession.objects.get(subject="Биология").form == "computer"
    again = schedule_import(campaign=vpr.campaign, actor=vpr.school, rows=rows, commit=True)
    assert [r.action for r in again.rows] == ["skip", "skip"]  # dates read back as dates: unchanged


def test_one_bad_row_keeps_the_whole_file_out(vpr):
    bad = [
        ["s2", "Физика", 8, "", "2024-04-22", "", "", "", "", ""],  # not his school
        ["nope", "Химия", 8, "", "2024-04-22", "", "", "", "", ""],
        ["s1", "Химия", 8, "", "22/04/2024", "25:00", "", "устная", "", ""],
    ]
    rows = read_sheet(workbook(rows_of(vpr, *bad)))
    report = schedule_import(campaign=vpr.campaign, actor=vpr.school, rows=rows, commit=True)
    assert not report.committed and VprSession.objects.count() == 5
    errors = {r.number: " ".join(r.errors) for r in report.rows if r.errors}
    assert "ОО с кодом «s2» нет среди ваших ОО." in errors[4]
    assert "«nope» нет среди ваших ОО" in errors[5]
    assert "Дата: «22/04/2024» — не дата" in errors[6] and "Начало: «25:00» — не время" in errors[6]
    assert "Форма: «устная» — нет такого значения" in errors[6]


def test_the_municipal_coordinator_imports_for_his_schools(vpr):
    rows = read_sheet(workbook([["s2", "Физика", 8, "", "2024-04-22", "", "", "", "", ""]]))
    assert schedule_import(campaign=vpr.campaign, actor=vpr.coordinator, rows=rows, commit=True).committed
    assert not schedule_import(
        campaign=vpr.campaign, actor=vpr.neighbour_coordinator, rows=rows, commit=True
    ).committed


def test_a_file_that_is_not_a_schedule_is_refused_in_russian(vpr):
    with pytest.raises(DomainError, match="не читается как таблица Excel"):
        read_sheet(b"not a zip")
    wb = openpyxl.Workbook()
    wb.active.append(["Школа", "Дата"])
    wb.active.append(["s1", "2024-04-22"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(DomainError, match="нет столбцов: «Код ОО», «Предмет», «Класс»"):
        schedule_import(
            campaign=vpr.campaign, actor=vpr.school, rows=read_sheet(buffer.getvalue()), commit=False
        )


def test_the_export_is_the_import_template(vpr):
    content = sessions_xlsx(VprSession.objects.filter(school=vpr.s1))
    rows = read_sheet(content)
    assert rows[0][1:4] == ["Код ОО", "Предмет", "Класс"]
    report = schedule_import(campaign=vpr.campaign, actor=vpr.school, rows=rows, commit=False)
    assert [r.action for r in report.rows] == ["skip", "skip"]


def test_import_page_previews_then_imports(client, vpr):
    client.force_login(vpr.school)
    upload = io.BytesIO(workbook(rows_of(vpr)))
    upload.name = "grafik.xlsx"
    page = client.post(reverse("schools:session_import", args=[vpr.campaign.pk]), {"file": upload})
    html = page.content.decode()
    assert "Новых работ: 2" in html and "выходной день" in html and "Загрузить график" in html
    assert not VprSession.objects.filter(subject="История").exists()
    done = client.post(reverse("schools:session_import", args=[vpr.campaign.pk]), {"action": "confirm"})
    assert done.status_code == 302 and VprSession.objects.filter(subject="История").exists()


def test_observer_registry_round_trip_through_import_export(vpr):
    data = tablib.Dataset(headers=["municipality", "full_name", "kind", "workplace_school", "children_schools",
                                   "accreditation_number", "accreditation_date", "trained_on", "consent_given", "user"])  # fmt: skip
    data.append(["m1", "Новый Н.Н.", "Российский союз молодёжи", "", "s1, s2", "ОН-9", datetime(2024, 3, 1), "01.03.2024",
                 "да", "nobody"])  # fmt: skip
    data.append(["m1", "Другой Д.Д.", "parent", "", "s1, s9", "", "", "", "", "observer"])
    data.append(["", "", "", "", "", "", "", "", "", ""])  # an empty row is dropped
    result = ObserverResource().import_data(data, dry_run=True)
    assert not result.has_errors() and len(result.invalid_rows) == 1
    invalid = str(result.invalid_rows[0].error_dict)
    assert "ОО с кодом «s9» не найдена." in invalid  # the bad code, and also:
    assert "учётная запись уже связана с другим наблюдателем" in invalid  # «observer» is Ковалёва's already
    data = data.subset(rows=[0])
    result = ObserverResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    new = Observer.objects.get(full_name="Новый Н.Н.")
    assert new.kind == "rsm" and new.accreditation_date == date(2024, 3, 1) and new.consent_given
    assert sorted(new.children_schools.values_list("code", flat=True)) == ["s1", "s2"]
    exported = ObserverResource().export(queryset=Observer.objects.filter(pk=new.pk))
    assert (
        exported.dict[0]["children_schools"] == "s1, s2"
        and exported.dict[0]["accreditation_date"] == "01.03.2024"
    )
    again = ObserverResource().import_data(exported, dry_run=False)
    assert [r.import_type for r in again.rows] == ["skip"]


def test_unknown_municipality_is_a_row_error_not_a_crash(vpr):
    data = tablib.Dataset(headers=["municipality", "full_name", "kind"])
    data.append(["nowhere", "Кто-то", "parent"])
    result = ObserverResource().import_data(data, dry_run=True)
    assert not result.has_errors() and result.has_validation_errors()
    assert "Муниципалитет с кодом «nowhere» не найден." in str(result.invalid_rows[0].error_dict)


def test_schedule_xlsx_lists_sessions_and_observers(vpr):
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator, auditorium="каб. 7")
    ws = openpyxl.load_workbook(io.BytesIO(schedule_xlsx(vpr.m1, vpr.campaign))).active
    assert "График распределения общественных наблюдателей" in ws["A1"].value
    rows = [[c for c in row] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert rows[0][3:] == ["Школа 1", "Русский язык", "4 А", "бумажная", "каб. 7", 25, "Петров С.И.",
                           "родитель (законный представитель)"]  # fmt: skip
    assert len(rows) == 3 and rows[2][9] == "не назначен"
    assert all(r[3] != "Школа 3" for r in rows)  # another municipality's school


def test_schedule_pdf_is_an_a4_landscape_appendix(vpr, tmp_path):
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    pdf = render_schedule_pdf(vpr.m1, vpr.campaign, appendix_heading="Приложение к приказу от 01.04.2024 № 5")
    assert pdf.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils are not installed")
    path = tmp_path / "schedule.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "ГРАФИК" in text and "распределения общественных наблюдателей" in text and "Петров С.И." in text
    assert "Приложение к приказу" in text and "не назначен" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "842 x 595" in info.replace(".", " ").replace("  ", " ") or "841.89 x 595.276" in info


def test_schedule_downloads(client, vpr, django_capture_on_commit_callbacks):
    from tests.reports.test_export_jobs import body, download, request_export

    client.force_login(vpr.head)  # the PDF is rendered by a job (vprplan.documents.exports)
    url = reverse("observers:observer_schedule_pdf", args=[vpr.campaign.pk, "m1"])
    response = download(client, request_export(client, url, django_capture_on_commit_callbacks))
    assert response["Content-Type"] == "application/pdf"
    assert body(response).startswith(b"%PDF")
