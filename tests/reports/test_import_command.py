"""`manage.py import_plan FILE --owner CODE [--dry-run] [--json]` (DESIGN.md §4)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from activities.models import Plan
from reports.management.commands.import_plan import Command
from tests.reports import documents
from tests.reports.test_import_bad_files import HEADER, docx_with_tables

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[dict, bool]:
    out = io.StringIO()
    try:
        call_command("import_plan", *args, "--json", stdout=out)
        failed = False
    except CommandError as exc:
        assert exc.returncode == 1
        failed = True
    return json.loads(out.getvalue()), failed


@pytest.fixture
def severo_file(tmp_path):
    expected, data = documents.severo_docx()
    path = tmp_path / "severo.docx"
    path.write_bytes(data)
    return expected, path


def test_json_of_an_import(world, severo_file):
    expected, path = severo_file
    result, failed = run(str(path), "--owner", "m1")
    plan = Plan.objects.get()
    assert not failed and result["plan_id"] == plan.pk and result["errors"] == []
    assert result["title"] == expected["title"] == plan.title
    assert result["sections"][:2] == [
        {"number": "1", "title": "Нормативно-правовое обеспечение объективности оценочных процедур"},
        {
            "number": "2",
            "title": "Информационно-разъяснительная работа по обеспечению объективности результатов ВПР",
        },
    ]
    assert len(result["activities"]) == 24
    first = result["activities"][0]
    assert set(first) == {
        "number",
        "title",
        "deadline_text",
        "deadline_kind",
        "responsible_text",
        "expected_result",
    }
    assert first == {
        "number": "1.1",
        "title": "Внесение изменений в Положение школьной системы оценки качества образования (ШСОКО)",
        "deadline_text": "До 113.01.2023",
        "deadline_kind": "manual",  # a typo is never guessed
        "responsible_text": "Руководители ОО",
        "expected_result": "Изданы приказы ОО об утверждении ШСОКО",
    }
    assert [a["number"] for a in result["activities"]] == [
        a.number for a in plan.activities.order_by("section__position", "position")
    ]


def test_dry_run_writes_nothing_and_exits_zero(world, severo_file):
    _, path = severo_file
    result, failed = run(str(path), "--owner", "m1", "--dry-run")
    assert not failed and result["plan_id"] is None and len(result["activities"]) == 24
    assert not Plan.objects.exists()


def test_errors_exit_one_with_rows_and_nothing_written(world, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(
        docx_with_tables(
            [
                HEADER,
                ["1", "Раздел", "", ""],
                ["1.1", "", "Постоянно", "Отдел"],
                ["1.2", "Мероприятие", "Постоянно", ""],
            ]
        )
    )
    for extra in ([], ["--dry-run"]):
        result, failed = run(str(path), "--owner", "m1", *extra)
        assert failed and result["plan_id"] is None
        assert result["errors"] == [{"row": 3, "message": "Нет наименования мероприятия."}]
        assert [a["title"] for a in result["activities"]] == ["Мероприятие"]
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("content", "owner", "message"),
    [
        (b"not a document at all \x00\x01", "m1", "не похож на документ"),
        (None, "m1", "не открывается"),
        (b"", "no-such-org", "Организация с кодом «no-such-org» не найдена."),
    ],
    ids=["garbage", "missing-file", "unknown-owner"],
)
def test_unreadable_input_is_one_error_without_a_row(world, tmp_path, content, owner, message):
    path = tmp_path / "plan.csv"
    if content is not None:
        path.write_bytes(content)
    result, failed = run(str(path), "--owner", owner)
    assert failed and len(result["errors"]) == 1
    assert result["errors"][0]["row"] is None and message in result["errors"][0]["message"]


def test_exit_status_from_the_command_line(world, severo_file, tmp_path, capsys, monkeypatch):
    # run_from_argv closes the connections when it ends: keep the test database's one open.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    _, path = severo_file
    Command().run_from_argv(["manage.py", "import_plan", str(path), "--owner", "m1", "--dry-run"])
    assert "Проверка прошла" in capsys.readouterr().out
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK broken")
    with pytest.raises(SystemExit) as info:
        Command().run_from_argv(["manage.py", "import_plan", str(bad), "--owner", "m1"])
    assert info.value.code == 1
    captured = capsys.readouterr()
    assert "повреждён" in captured.out and "ничего не записано" in captured.err


def test_period_options_for_a_title_without_years(world, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(docx_with_tables([HEADER, ["1.1", "Мероприятие", "Постоянно", ""]], paragraphs=["План"]))
    result, failed = run(str(path), "--owner", "m1", "--dry-run")
    # No year in the title and no dates in the deadlines: the current academic year is proposed,
    # as a warning, not an error (it was refused before).
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    assert not failed and result["errors"] == []
    assert (result["period_start"], result["period_end"]) == (f"{year}-09-01", f"{year + 1}-08-31")
    assert [w["message"] for w in result["warnings"]] == [
        f"Период в заголовке не указан, дат в сроках нет: предложен текущий {year}-{year + 1} учебный год. "
        "Проверьте его."
    ]
    result, failed = run(
        str(path),
        "--owner",
        "m1",
        "--period-start",
        "2025-09-01",
        "--period-end",
        "2026-08-31",
        "--title",
        "План на 2025/2026",
    )
    assert not failed and Plan.objects.get().title == "План на 2025/2026"


def test_a_plan_without_a_title_is_proposed_one_from_its_dates(world, tmp_path):
    path = tmp_path / "plan.docx"
    rows = [HEADER, ["1.1", "Мероприятие", "до 15.10.2024", ""], ["1.2", "Второе", "Февраль 2025 года", ""]]
    path.write_bytes(docx_with_tables(rows, paragraphs=[]))
    result, failed = run(str(path), "--owner", "m1")
    assert not failed and result["plan_id"]
    plan = Plan.objects.get()
    assert plan.title == result["title"] == "План мероприятий на 2024-2025 учебный год"
    assert (str(plan.period_start), str(plan.period_end)) == ("2024-09-01", "2025-08-31")
    assert [w["message"] for w in result["warnings"]] == [
        "Период в заголовке не указан: предложен 2024-2025 учебный год по датам в сроках мероприятий. "
        "Проверьте его.",
        "Наименования плана в файле нет: предложено «План мероприятий на 2024-2025 учебный год». "
        "Проверьте его.",
    ]
