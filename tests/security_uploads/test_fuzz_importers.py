"""Property: every malformed spreadsheet, through the real pages of each importer (upload → preview →
confirm), gets an answer below 500 with a Russian message, and writes either nothing or the whole
import it previewed, never a part. VPRPLAN_FUZZ_EXAMPLES cases per importer (150 by default)."""

import html
import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import Activity, Execution, Plan, Section
from reports.models import PlanImport
from results.models import VprResult
from schools.models import UnobjectivityFlag, VprSession
from tests.security_uploads import fuzz
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=fuzz.EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
CYRILLIC = re.compile(r"[А-Яа-яЁё]{3,}")
MODELS = (
    Plan,
    Section,
    Activity,
    Execution,
    PlanImport,
    VprResult,
    UnobjectivityFlag,
    VprSession,
    AuditEvent,
)


def state() -> dict:
    return {m.__name__: m.objects.count() for m in MODELS}


def page(response) -> str:
    return html.unescape(response.content.decode())


SCHEDULE = [
    [
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
    ],
    ["s1", "История", 6, "А, Б", "19.04.2024", "09:00", "09:45", "бумажная", "101", 25],
    ["s1", "Математика", 5, "А", "17.04.2024", "10:00", "11:00", "компьютерная", "2", 20],
]
RESULTS = [
    ["Всероссийские проверочные работы 2025 (5 класс)"],
    ["Предмет: Математика"],
    ["Статистика по отметкам"],
    ["ОО", "Кол-во ОО", "Кол-во уч.", "«2»", "«3»", "«4»", "«5»"],
    ["Вся выборка", 39000, 1300000, 10.2, 35.1, 38.4, 16.3],
    ["(sch000002) Школа 2", "", 40, 5, 25, 50, 20],
    ["(sch000001) Школа 1", "", 30, 10, 30, 40, 20],
]
FLAGS = [
    ["Перечень ОО с признаками необъективных результатов ВПР-2025"],
    ["№ п/п", "Субъект РФ", "Муниципалитет", "Логин ОО", "Наименование ОО", "Предмет", "Класс"],
    [1, "Регион А", "Муниципалитет 1", "sch000001", "Школа 1", "Математика", "5"],
    [2, "Регион А", "Муниципалитет 1", "", "Школа 2", "Русский язык", "4, 5"],
]
PLAN = [
    ["План мероприятий по обеспечению объективности ВПР на 2024 год"],
    ["№ п/п", "Наименование мероприятия", "Сроки реализации", "Ответственные"],
    ["1", "Организационные мероприятия", "", ""],
    ["1.1", "Провести совещание с руководителями ОО", "До 25.01.2024", "Муниципальный координатор ВПР"],
    ["1.2", "Мониторинг сайтов ОО", "ежедневно", "Руководители ОО"],
]


class Run:
    """One importer's journey for a file, and the tally: crashes, refusals, imports, partial writes."""

    def __init__(self, client):
        self.client = client
        self.tally = Counter()

    def check(self, step: str, response, before: dict, *, done: bool) -> bool:
        """done: the step reports a complete import; otherwise nothing may have been written."""
        if response.status_code >= 500:
            self.tally["crashes"] += 1
            raise AssertionError(f"{step}: {response.status_code}")
        if not done and state() != before:
            self.tally["partial_writes"] += 1
            raise AssertionError(f"{step}: written without a complete import: {before} → {state()}")
        return True

    def refused(self, response) -> None:
        text = page(response)
        assert CYRILLIC.search(text)
        self.tally["refused"] += 1


def journey_schedule(run: Run, vpr, content: bytes) -> None:
    client = run.client
    url = reverse("schools:session_import", args=[vpr.campaign.pk])
    before = state()
    response = client.post(url, {"file": SimpleUploadedFile("grafik.xlsx", content)})
    run.check("preview", response, before, done=False)
    if f"schedule-import-{vpr.campaign.pk}" not in client.session:
        return run.refused(response)
    response = client.post(url, {"action": "confirm"})
    run.check("confirm", response, before, done=response.status_code == 302)
    run.tally["imported" if response.status_code == 302 else "refused"] += 1


def journey_results(run: Run, world, content: bytes) -> None:
    client = run.client
    url = reverse("results:result_import", args=["m1"])
    before = state()
    response = client.post(url, {"file": SimpleUploadedFile("stat.xlsx", content), "action": "preview"})
    run.check("preview", response, before, done=False)
    if f"results-import-{world.m1.pk}" not in client.session:
        return run.refused(response)
    response = client.post(url, {"action": "confirm"})
    run.check("confirm", response, before, done=response.status_code == 302)
    run.tally["imported" if response.status_code == 302 else "refused"] += 1


def journey_flags(run: Run, world, content: bytes) -> None:
    client = run.client
    url = reverse("schools:flag_import", args=["m1"])
    before = state()
    data = {
        "file": SimpleUploadedFile("list.xlsx", content),
        "year": 2025,
        "source": "regional",
        "action": "preview",
    }
    response = client.post(url, data)
    run.check("preview", response, before, done=False)
    if f"flags-import-{world.m1.pk}" not in client.session:
        return run.refused(response)
    response = client.post(url, {"action": "confirm"})
    run.check("confirm", response, before, done=response.status_code == 302)
    run.tally["imported" if response.status_code == 302 else "refused"] += 1


def journey_plan(run: Run, world, content: bytes) -> None:
    client = run.client
    before = state()
    response = client.post(
        reverse("reports:plan_import"),
        {"owner": world.m1.pk, "file": SimpleUploadedFile("plan.xlsx", content)},
    )
    if response.status_code != 302:
        run.check("upload", response, before, done=False)
        return run.refused(response)
    uploaded = state()
    assert {k: uploaded[k] - before[k] for k in uploaded} == {**dict.fromkeys(uploaded, 0), "PlanImport": 1}
    preview = client.get(response["Location"])
    run.check("preview", preview, uploaded, done=False)
    draft = PlanImport.objects.latest("pk").draft
    response = client.post(
        response["Location"],
        {
            "action": "confirm",
            "title": draft.get("title") or "План",
            "period_start": draft.get("period_start") or "2024-01-01",
            "period_end": draft.get("period_end") or "2024-12-31",
        },
    )
    run.check("confirm", response, uploaded, done=response.status_code == 302)
    run.tally["imported" if response.status_code == 302 else "refused"] += 1


@pytest.fixture
def schedule_setup(client, vpr):
    client.force_login(vpr.school)
    return lambda run, content: journey_schedule(run, vpr, content)


@pytest.fixture
def results_setup(client, world):
    for name, login in (("s1", "sch000001"), ("s2", "sch000002")):
        world.orgs[name].fis_oko_login = login
        world.orgs[name].save()
    client.force_login(world.coordinator)
    return lambda run, content: journey_results(run, world, content)


@pytest.fixture
def flags_setup(client, world):
    world.s1.fis_oko_login = "sch000001"
    world.s1.save()
    client.force_login(world.coordinator)
    return lambda run, content: journey_flags(run, world, content)


@pytest.fixture
def plan_setup(client, world):
    client.force_login(world.coordinator)
    return lambda run, content: journey_plan(run, world, content)


IMPORTERS = {
    "schedule": (SCHEDULE, "schedule_setup"),
    "results": (RESULTS, "results_setup"),
    "flags": (FLAGS, "flags_setup"),
    "plan": (PLAN, "plan_setup"),
}


@pytest.mark.parametrize("importer", IMPORTERS)
def test_the_valid_base_file_is_imported(client, importer, request):
    """The control: the unspoilt base sheet goes all the way, so «nothing written» can fail."""
    base, setup = IMPORTERS[importer]
    journey = request.getfixturevalue(setup)
    run = Run(client)
    journey(run, fuzz.xlsx(fuzz.sheet_xml([fuzz.as_cells(r) for r in base])))
    assert run.tally == {"imported": 1}


@pytest.mark.parametrize("importer", IMPORTERS)
def test_malformed_spreadsheets_are_refused_in_russian_and_write_nothing_or_everything(
    client, importer, request, record_property
):
    base, setup = IMPORTERS[importer]
    journey = request.getfixturevalue(setup)
    run = Run(client)

    @FUZZ
    @given(content=fuzz.malformed_xlsx(base))
    def case(content):
        run.tally["cases"] += 1
        journey(run, content)

    case()
    assert run.tally["cases"] >= min(fuzz.EXAMPLES, 50)
    assert run.tally["crashes"] == run.tally["partial_writes"] == 0
    for name in ("cases", "crashes", "partial_writes", "refused", "imported"):
        record_property(f"fuzz_{importer}_{name}", run.tally[name])


def test_a_generated_case_is_malformed_often(record_property):
    """The generator mostly makes files the importers must refuse or warn about (not valid files)."""
    seen = []

    @settings(max_examples=50, database=None, deadline=None)
    @given(st.data())
    def case(data):
        seen.append(data.draw(fuzz.malformed_xlsx(SCHEDULE)))

    case()
    assert len(set(seen)) > 25
