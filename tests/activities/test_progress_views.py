"""The municipal dashboard, its drill-down and exports, the regional overview, the iCal feed."""

import io
import re
import subprocess
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.choices import ExecutionLevel, PlanStatus
from activities.models import Execution
from schools.choices import FlagSource
from schools.models import UnobjectivityFlag
from tests.activities.conftest import execution_of, make_plan
from tests.factories import ActivityFactory, ExecutionFactory, PlanFactory, SchoolFactory, SectionFactory
from tests.matrix import assert_matrix

pytestmark = pytest.mark.django_db

DASHBOARD_DENIED = ("specialist", "school", "school2", "observer", "nobody", "neighbour_coordinator")
DASHBOARD_DENIED += ("other_admin", "other_head", "other_coordinator", "other_school")


def url(name, *args):
    return reverse(f"activities:{name}", args=args)


@pytest.fixture
def worked(world, approved, pdf_file):
    """S1 reported 1.1 (accepted) and 1.2 in October (returned); S2 reported 1.1 (waiting)."""
    a = execution_of(approved, "1.1", world.s1)
    services.execution_complete(execution=a, actor=world.school, files=[pdf_file])
    services.execution_review(execution=a, actor=world.coordinator, decision="accept")
    b = execution_of(approved, "1.2", world.s1)
    services.execution_complete(execution=b, actor=world.school, files=[pdf_file])
    services.execution_review(execution=b, actor=world.coordinator, decision="return", comment="Нет подписей")
    services.execution_complete(execution=execution_of(approved, "1.1", world.s2), actor=world.school2)
    return approved


def test_dashboard_pages_matrix(client, world, worked):
    for link in (
        url("plan_progress", worked.pk),
        url("plan_progress", worked.pk) + "?status=overdue&flagged=1",
        url("plan_progress_school", worked.pk, world.s1.pk),
        url("plan_progress_xlsx", worked.pk),
    ):
        assert_matrix(
            client,
            link,
            allowed=world.people("coordinator", "head", "admin"),
            denied=world.people(*DASHBOARD_DENIED),
        )


def test_a_school_of_another_municipality_is_not_drilled_into(client, world, worked):
    client.force_login(world.coordinator)
    assert client.get(url("plan_progress_school", worked.pk, world.s3.pk)).status_code == 404


def test_dashboard_shows_the_matrix_progress_and_what_is_late(client, world, worked):
    client.force_login(world.coordinator)
    html = client.get(url("plan_progress", worked.pk)).content.decode()
    s1_done = execution_of(worked, "1.1", world.s1)
    assert f'class="c s-accepted"><a href="/executions/{s1_done.pk}/"' in html
    s2_waiting = execution_of(worked, "1.1", world.s2)
    assert f'class="c s-review"><a href="/executions/{s2_waiting.pk}/"' in html
    returned = execution_of(worked, "1.2", world.s1)
    assert f'class="c s-returned"><a href="/executions/{returned.pk}/"' in html
    # 1.2 has two dates at S1: none done (the October report came back), the cell counts them.
    assert (
        f'<td class="c s-returned"><a href="/executions/{returned.pk}/" title="возвращено на доработку">0/2<'
        in html
    )
    assert ">0/2<" in html
    assert "⚑ Школа 2" in html  # S2 is flagged in 2025
    # Everything dated before today (2025/26 plan) that nobody reported is in the overdue list.
    overdue = Execution.objects.filter(
        activity__plan=worked, status="not_started", due_date__lt=timezone.localdate()
    )
    assert overdue.exists()
    assert all(f'href="/executions/{e.pk}/"' in html for e in overdue)
    assert f"просрочено {overdue.count() + 1}" in html  # and the returned one, still late


def test_dashboard_filters(client, world, worked):
    client.force_login(world.coordinator)
    base = url("plan_progress", worked.pk)
    flagged = client.get(base + "?flagged=1").content.decode()
    assert "Школа 2" in flagged and 'title="Школа 1"' not in flagged
    returned = client.get(base + "?status=returned").content.decode()
    assert re.findall(r'<td class="c s-(\w+)"', returned) == ["returned"]
    section = worked.sections.get(position=2)
    only_section = client.get(base + f"?section={section.pk}").content.decode()
    assert "Перепроверка работ" in only_section and "Совещание с учителями" not in only_section
    one_school = client.get(base + f"?school={world.s1.pk}").content.decode()
    assert 'title="Школа 2"' not in one_school and 'title="Школа 1"' in one_school


def test_school_drill_down_lists_its_work_with_files(client, world, worked):
    client.force_login(world.coordinator)
    html = client.get(url("plan_progress_school", worked.pk, world.s1.pk)).content.decode()
    assert "Приказ ОО № 12.pdf" in html and "Нет подписей" in html
    assert "Перепроверка работ" not in html  # 2.1 is for flagged schools; S1 is not one


def test_progress_report_xlsx(client, world, worked):
    client.force_login(world.coordinator)
    response = client.get(url("plan_progress_xlsx", worked.pk))
    assert response["Content-Disposition"].startswith('attachment; filename="progress-m1-')
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["По организациям", "По разделам", "Матрица", "Просрочено"]
    rows = {r[0]: r for r in wb["По организациям"].iter_rows(min_row=5, values_only=True)}
    assert rows["Школа 1"][2:4] == (4, 1)  # 1.1, 1.2 twice, 2.2: 1 done (1.2 came back)
    matrix = [r for r in wb["Матрица"].iter_rows(values_only=True)]
    assert any("принято" in (c or "") for r in matrix for c in r)
    assert wb["Просрочено"].max_row > 1


def pdf_text(content: bytes) -> str:
    """The PDF's text as poppler reads it (Debian poppler-utils, as TECH-NOTES recommends)."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_progress_report_pdf_is_a_real_pdf_with_the_figures(
    client, world, worked, django_capture_on_commit_callbacks
):
    from tests.reports.test_export_jobs import body, download, request_export

    client.force_login(world.head)  # a job renders it (vprplan.documents.exports); the status page links the file
    export = request_export(client, url("plan_progress_pdf", worked.pk), django_capture_on_commit_callbacks)
    response = download(client, export)
    content = body(response)
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "СПРАВКА" in text and "о ходе выполнения" in text and "Школа 1" in text
    assert "«" in text and "года" in text  # dated as the authority dates its documents
    assert "Совещание с учителями" in text  # in the overdue list


def test_regional_overview(client, world, worked):
    old = PlanFactory(
        owner=world.m1, status=PlanStatus.APPROVED, period_start=worked.period_start.replace(year=2024)
    )
    ExecutionFactory(activity=ActivityFactory(plan=old), organization=world.s1)  # not the current plan
    assert_matrix(
        client,
        url("region_progress", world.region.pk),
        allowed=world.people("admin"),
        denied=world.people("head", "coordinator", "school", "observer", "other_admin", "nobody"),
    )
    client.force_login(world.admin)
    html = client.get(url("region_progress", world.region.pk)).content.decode()
    assert f'id="municipality-{world.m1.pk}"' in html and f'id="municipality-{world.m2.pk}"' in html
    assert "нет утверждённого плана" in html  # M2
    assert f'href="/plans/{worked.pk}/progress/"' in html and f'href="/plans/{old.pk}/progress/"' not in html
    assert "(2/10)" in html  # M1: 2 of its current plan's 10 executions done


def test_progress_home_sends_each_role_where_it_belongs(client, world, worked):
    client.force_login(world.coordinator)
    assert client.get(url("progress_home")).url == url("plan_progress", worked.pk)
    client.force_login(world.admin)
    assert client.get(url("progress_home")).url == url("region_progress", world.region.pk)
    for name in ("school", "specialist", "observer"):
        client.force_login(world.users[name])
        assert client.get(url("progress_home")).status_code == 404


def test_plan_page_links_to_its_progress_for_those_who_follow_it(client, world, worked):
    client.force_login(world.head)
    assert (
        url("plan_progress", worked.pk)
        in client.get(reverse("activities:plan_detail", args=[worked.pk])).content.decode()
    )
    client.force_login(world.school)
    assert (
        url("plan_progress", worked.pk)
        not in client.get(reverse("activities:plan_detail", args=[worked.pk])).content.decode()
    )


def test_ical_feed_has_the_users_open_due_dates_and_its_address_can_be_replaced(client, world, worked):
    feed = services.calendar_feed_get(user=world.school)
    client.logout()
    response = client.get(url("calendar_feed", feed.token))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded
    unfolded = text.replace("\r\n ", "")
    open_1_2 = execution_of(worked, "1.2", world.s1, occurrence=2)
    assert f"UID:execution-{open_1_2.pk}@" in unfolded and "DTSTART;VALUE=DATE:20260531" in unfolded
    accepted = execution_of(worked, "1.1", world.s1)
    assert f"UID:execution-{accepted.pk}@" not in unfolded  # done: no longer a due date
    assert f"execution-{execution_of(worked, '1.1', world.s2).pk}@" not in unfolded  # another school's
    assert "SUMMARY:1.2 Совещание с учителями" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 2  # 1.2 twice (one returned and late, one open); 2.2 has no date

    client.force_login(world.school)
    client.post(url("calendar"))
    client.logout()
    assert client.get(url("calendar_feed", feed.token)).status_code == 404
    feed.refresh_from_db()
    assert client.get(url("calendar_feed", feed.token)).status_code == 200


def test_home_panel_adds_no_query_and_loads_the_figures_after(
    client, world, worked, django_assert_num_queries
):
    from activities.home import home_context
    from vprplan import access

    for name in ("school", "coordinator", "admin", "observer"):
        user = world.users[name]
        access.memberships(user)  # read once per request by the home page anyway
        with django_assert_num_queries(0):
            home_context(user)
    client.force_login(world.school)
    html = client.get(reverse("home")).content.decode()
    assert f'hx-get="{url("task_counts")}"' in html
    counts = client.get(url("task_counts")).content.decode()
    assert re.search(r"возвращено: <strong>1</strong>", counts)


# Query budgets ---------------------------------------------------------------------------------


def big_plan(world, *, activities: int, schools: list):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.APPROVED)
    for s in range(1, 4):
        section = SectionFactory(plan=plan, position=s, number=str(s))
        for a in range(1, activities // 3 + 1):
            activity = ActivityFactory(
                plan=plan,
                section=section,
                position=a,
                number=f"{s}.{a}",
                execution_level=ExecutionLevel.SCHOOL,
            )
            for school in schools:
                ExecutionFactory(
                    activity=activity, organization=school, due_date=timezone.localdate() - timedelta(days=a)
                )
    return plan


def unmasked(response) -> str:
    """The page without its CSRF tokens (masked anew on every response)."""
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", response.content.decode())


def test_dashboard_query_budget_is_flat(client, world, django_assert_max_num_queries):
    small = big_plan(world, activities=3, schools=[world.s1])
    extra = [SchoolFactory(parent=world.m1) for _ in range(6)]
    large = big_plan(world, activities=30, schools=[world.s1, world.s2, *extra])
    client.force_login(world.coordinator)
    # session, the user with his memberships, plan, the dashboard's stamp (executions, schools,
    # flags), the bell's unread notifications; counted afresh: + cells, schools, sections,
    # activities, overdue, review
    for plan in (small, large):
        with django_assert_max_num_queries(13):
            response = client.get(url("plan_progress", plan.pk))
        assert response.status_code == 200
        with django_assert_max_num_queries(8):
            again = client.get(url("plan_progress", plan.pk))
        assert unmasked(again) == unmasked(response)
    assert response.content.decode().count('<td class="c s-overdue"') == 30 * 8


def test_task_list_and_execution_page_budgets_are_flat(
    client, world, django_assert_max_num_queries, pdf_file
):
    few = big_plan(world, activities=3, schools=[world.s1])
    client.force_login(world.school)
    # session, the user with his memberships, tasks, their evidence, the bell's unread notifications
    with django_assert_max_num_queries(5):
        client.get(url("task_list"))
    big_plan(world, activities=60, schools=[world.s1])
    with django_assert_max_num_queries(6):
        html = client.get(url("task_list")).content.decode()
    assert html.count('class="task task-overdue"') == 63
    e = Execution.objects.filter(activity__plan=few).first()
    services.execution_start(execution=e, actor=world.school, files=[pdf_file])
    # + execution, can-complete, evidence, siblings, history
    with django_assert_max_num_queries(9):
        assert client.get(url("execution_detail", e.pk)).status_code == 200


def test_regional_overview_budget_is_flat(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    # session, the user with his memberships, municipalities, plans, counts, the bell's unread
    # notifications
    with django_assert_max_num_queries(6):
        client.get(url("region_progress", world.region.pk))
    for m in (world.m1, world.m2):
        make_plan(world, owner=m, status=PlanStatus.APPROVED)
    big_plan(world, activities=9, schools=[world.s1, world.s2])
    with django_assert_max_num_queries(7):
        assert client.get(url("region_progress", world.region.pk)).status_code == 200


def test_flagged_filter_shows_the_flagged_schools_executions(client, world, worked):
    """«только с признаками необъективности» keeps the flagged school's cells and lists, not nothing."""
    client.force_login(world.coordinator)
    html = client.get(url("plan_progress", worked.pk) + "?flagged=1").content.decode()
    assert "Нет исполнений по этому фильтру" not in html
    waiting = execution_of(worked, "1.1", world.s2)
    assert f'class="c s-review"><a href="/executions/{waiting.pk}/"' in html
    s1_done = execution_of(worked, "1.1", world.s1)
    assert f'href="/executions/{s1_done.pk}/"' not in html  # S1 is not flagged
    overdue = client.get(url("plan_progress", worked.pk) + "?flagged=1&status=overdue").content.decode()
    late = Execution.objects.filter(
        activity__plan=worked, organization=world.s2, status="not_started", due_date__lt=timezone.localdate()
    )
    assert late.exists()
    assert all(f'href="/executions/{e.pk}/"' in overdue for e in late)


def test_regional_overview_shows_the_whole_title_of_the_plan_in_force(client, world, worked):
    worked.title = (
        "План мероприятий («Дорожная карта») по обеспечению объективности результатов всероссийских "
        "проверочных работ в общеобразовательных организациях в 2025-2026 учебном году"
    )
    worked.save(update_fields=["title"])
    client.force_login(world.admin)
    html = client.get(url("region_progress", world.region.pk)).content.decode()
    assert f'href="/plans/{worked.pk}/progress/">{worked.title}</a>' in html  # the year included
    assert "…</a>" not in html


def test_a_kept_dashboard_shows_every_change_at_once(client, world):
    """The dashboard is kept per content (activities.views.progress.PlanProgressView.body): a
    report, a review, a school's new name and a new flag each show on the next load."""
    plan = big_plan(world, activities=3, schools=[world.s1, world.s2])
    client.force_login(world.coordinator)

    def page() -> str:
        response = client.get(url("plan_progress", plan.pk))
        assert response.status_code == 200
        return response.content.decode()

    assert "на проверке 0" in page() and "Проверять нечего" in page()
    e = Execution.objects.filter(activity__plan=plan, organization=world.s1).order_by("pk").first()
    services.execution_complete(execution=e, actor=world.school, comment="Сделано")
    html = page()
    assert "на проверке 1" in html and f"/executions/{e.pk}/" in html

    services.execution_review(execution=e, actor=world.coordinator, decision="accept")
    assert "принято 1" in page() and "на проверке 0" in page()

    world.s2.short_name = "Гимназия № 1 (новое имя)"
    world.s2.save()
    assert "Гимназия № 1 (новое имя)" in page()

    assert "⚑" not in page()
    UnobjectivityFlag.objects.create(school=world.s1, year=plan.period_start.year, source=FlagSource.ROSOBRNADZOR)
    assert "⚑" in page()


def test_a_kept_school_page_shows_files_and_reports_at_once(client, world, pdf_file):
    """A school's page is kept per content (SchoolProgressView.body): a report and a file show on
    the next load, and so does a file taken away (which leaves its execution as it was)."""
    plan = big_plan(world, activities=3, schools=[world.s1])
    page = url("plan_progress_school", plan.pk, world.s1.pk)
    client.force_login(world.coordinator)
    assert "Готовим приказ" not in client.get(page).content.decode()
    e = Execution.objects.filter(activity__plan=plan, organization=world.s1).order_by("pk").first()
    services.execution_start(execution=e, actor=world.school, comment="Готовим приказ", files=[pdf_file])
    html = client.get(page).content.decode()
    evidence = e.evidence.get()
    assert "Готовим приказ" in html and evidence.original_name in html
    services.evidence_delete(evidence=evidence, actor=world.school)
    assert evidence.original_name not in client.get(page).content.decode()
