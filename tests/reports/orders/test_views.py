"""Every order view through the permission matrix: the head signs; the coordinator prepares but
cannot sign; another municipality gets 404; the public sees signed documents only."""

import pytest
from django.urls import reverse

from reports.models import Order, OrderDocument, OrderStatus
from reports.orders import services
from tests.matrix import AWAY, assert_matrix
from tests.reports.orders.helpers import ORDER_DAY

pytestmark = pytest.mark.django_db

READERS = ["head", "coordinator", "admin"]  # the municipality's head and coordinator, the region's admin
PREPARERS = ["head", "coordinator"]


@pytest.fixture
def order(world, submitted_plan):
    return services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)


@pytest.fixture
def signed(world, order, signing):
    return services.order_sign(order=order, actor=world.head, now=True)


def test_order_list(client, world, order):
    url = reverse("reports:order_list")
    assert_matrix(
        client,
        url,
        allowed=world.people(
            *READERS, "other_head", "other_coordinator", "other_admin", "neighbour_coordinator"
        ),
        denied=world.people("specialist", "school", "school2", "observer", "other_school", "nobody"),
    )
    client.force_login(world.other_head)
    assert order.title not in client.get(url).content.decode()  # the list is scoped
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert order.title in page and "Открыть проект приказа" in page


def test_order_create_is_one_click_for_the_plan_keepers(client, world, submitted_plan):
    url = reverse("reports:order_create", args=[submitted_plan.pk])
    assert_matrix(
        client,
        url,
        method="post",
        data={},
        allowed=world.people(*PREPARERS),
        denied=world.people("admin", "specialist", "school", "observer", *AWAY, "nobody"),
        ok=(302,),
    )
    assert Order.objects.filter(plan=submitted_plan).count() == 1  # the second click opens the draft
    client.force_login(world.coordinator)
    response = client.post(url)
    assert response.url == reverse("reports:order_update", args=[Order.objects.get().pk])


def test_order_detail_and_docx(client, world, order):
    denied = world.people("specialist", "school", "school2", "observer", *AWAY, "nobody")
    for url in (
        reverse("reports:order_detail", args=[order.pk]),
        reverse("reports:order_docx", args=[order.pk]),
    ):
        assert_matrix(client, url, allowed=world.people(*READERS), denied=denied)
    client.force_login(world.coordinator)
    page = client.get(reverse("reports:order_detail", args=[order.pk])).content.decode()
    assert "Редактировать" in page and "Подписать и утвердить план" not in page
    client.force_login(world.head)
    assert (
        "Подписать и утвердить план"
        in client.get(reverse("reports:order_detail", args=[order.pk])).content.decode()
    )


def test_order_update(client, world, order):
    url = reverse("reports:order_update", args=[order.pk])
    assert_matrix(
        client,
        url,
        allowed=world.people(*PREPARERS),
        denied=world.people("admin", "specialist", "school", "observer", *AWAY, "nobody"),
    )
    client.force_login(world.coordinator)
    data = {
        "number": "12",
        "date": "2025-10-02",
        "place": "г. Первый",
        "title": "Об утверждении Плана",
        "preamble": "В целях …",
        "clauses_text": "1. Утвердить План.\n\n2) Контроль оставляю за собой.",
        "signatory_position": "Начальник",
        "signatory_name": "А.Б. Руководитель",
        "authority_name": order.authority_name,
        "authority_genitive": order.authority_genitive,
        "kind_local": "ТШӦКТӦД",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order.refresh_from_db()
    assert order.clauses == ["Утвердить План.", "Контроль оставляю за собой."]
    assert (order.number, order.kind_local) == ("12", "ТШӦКТӦД")


def test_only_the_head_signs(client, world, order, signing):
    url = reverse("reports:order_sign", args=[order.pk])
    assert_matrix(
        client,
        url,
        method="post",
        data={},
        allowed=world.people("head"),
        denied=world.people("coordinator", "admin", "specialist", "school", "observer", *AWAY, "nobody"),
        ok=(302,),
    )
    document = OrderDocument.objects.get(order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNING and document.requested_by == world.head


def test_the_sign_button_asks_first_and_a_loopback_site_url_is_refused_in_words(
    client, world, order, signing, settings
):
    client.force_login(world.head)
    page = client.get(reverse("reports:order_detail", args=[order.pk])).content.decode()
    assert 'data-confirm="Подписать приказ электронной подписью и утвердить план?' in page
    assert "«___» ____________ 20___ г." in page  # a draft: no date, no number yet
    settings.ORDER_SIGNING_REQUIRE_SITE_URL, settings.SITE_URL = True, "http://127.0.0.1:8000"
    response = client.post(reverse("reports:order_sign", args=[order.pk]), follow=True)
    assert (
        "адрес сайта (SITE_URL) «http://127.0.0.1:8000» — это не публичный адрес" in response.content.decode()
    )
    order.refresh_from_db()
    assert order.is_draft and not OrderDocument.objects.filter(order=order).exists()


def test_signing_page_polls_until_the_document_is_signed(client, world, order, signing):
    document = services.order_sign(order=order, actor=world.head)  # queued: runs after commit
    url = reverse("reports:document_status", args=[document.pk])
    assert_matrix(
        client,
        url,
        allowed=world.people(*READERS),
        denied=world.people("specialist", "school", "observer", *AWAY, "nobody"),
    )
    client.force_login(world.head)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment
    services.order_document_render(document_id=document.pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and "приказ подписан" in fragment and "план утверждён" in fragment
    assert reverse("reports:document_download", args=[document.pk]) in fragment


def test_order_revise(client, world, signed):
    url = reverse("reports:order_revise", args=[signed.order_id])
    assert_matrix(
        client,
        url,
        method="post",
        data={},
        allowed=world.people("coordinator"),
        denied=world.people("admin", "specialist", "school", "observer", *AWAY, "nobody"),
        ok=(302,),
    )
    assert Order.objects.filter(replaces=signed.order_id).count() == 1


def test_the_public_sees_signed_orders_only(
    client, world, order, signed, submitted_plan, django_assert_max_num_queries
):
    draft = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    client.logout()
    with django_assert_max_num_queries(4):
        page = client.get(reverse("reports:public_plan_list", args=["m1"])).content.decode()
    order.refresh_from_db()
    assert f"Приказ {order.requisites}" in page and order.number == "1"
    assert page.count("Приказ от") == 1  # not the draft
    assert reverse("reports:document_download", args=[signed.pk]) in page
    assert order.executor_phone not in page  # no personal data on the public list
    # The QR code's page and the download: no login, signed documents only.
    assert client.get(reverse("reports:verify_document", args=[signed.pk])).status_code == 200
    download = client.get(reverse("reports:document_download", args=[signed.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == signed.file.open("rb").read()
    pending = services.order_sign(order=draft, actor=world.head)
    for name in ("verify_document", "document_download"):
        assert client.get(reverse(f"reports:{name}", args=[pending.pk])).status_code == 404
    assert (
        client.get(reverse("reports:public_plan_list", args=["m3"])).content.decode().count("Приказ от") == 0
    )
