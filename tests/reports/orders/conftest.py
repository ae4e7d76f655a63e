"""Fixtures of the order tests: a demo certificate per test, an authority and a submitted plan in
the World's municipality M1."""

import pytest

from activities.choices import PlanStatus
from reports.signing.demo import make_pkcs12
from schools.models import EducationAuthority
from tests.factories import ActivityFactory, PlanFactory, SectionFactory


@pytest.fixture(scope="session")
def demo_pkcs12() -> bytes:
    """One self-signed certificate for the whole run (an RSA key takes a moment to make)."""
    return make_pkcs12(owner="Круглова Эвелина Олеговна", organization="Отдел образования")


@pytest.fixture
def signing(settings, tmp_path, demo_pkcs12):
    """Every municipality of the tests signs with the demo certificate (SIGNING_PKCS12_DIR)."""
    directory = tmp_path / "signing"
    directory.mkdir()
    for code in ("m1", "m2", "m3", "inta"):
        (directory / f"{code}.p12").write_bytes(demo_pkcs12)
    settings.SIGNING_PKCS12_DIR = directory
    settings.SIGNING_PKCS12_PATH = ""
    settings.SIGNING_PKCS12_PASSWORD = ""
    return directory


@pytest.fixture
def authority(world):
    return EducationAuthority.objects.create(
        municipality=world.m1,
        full_name="Управление образования администрации муниципального района 1",
        full_name_local="",
        genitive_name="Управления образования администрации МР 1",
        place="г. Первый",
        head_position="Начальник",
        head_name="А.Б. Руководитель",
        head_full_name="Руководитель Анна Борисовна",
        phone="8 (800) 000-00-01",
    )


@pytest.fixture
def submitted_plan(world, authority):
    """A plan of M1 sent for approval: two sections, three activities."""
    plan = PlanFactory(
        owner=world.m1,
        title="План мероприятий («Дорожная карта») по обеспечению объективности результатов ВПР в 2025-2026 учебном году",
        status=PlanStatus.ON_APPROVAL,
        columns=[["number", "№ п/п"], ["title", "Наименование мероприятия"], ["deadline", "Срок"]],
    )
    first = SectionFactory(plan=plan, position=1, title="Анализ результатов")
    second = SectionFactory(plan=plan, position=2, title="Организация ВПР")
    ActivityFactory(
        section=first, position=1, title="Анализ итогов ВПР 2025 года", deadline_text="До 15.10.2025"
    )
    ActivityFactory(section=first, position=2, title="Совещание с руководителями ОО", deadline_text="Октябрь")
    ActivityFactory(section=second, position=1, title="Общественное наблюдение", deadline_text="Постоянно")
    from activities.services import plan_renumber

    plan_renumber(plan=plan)
    return plan
