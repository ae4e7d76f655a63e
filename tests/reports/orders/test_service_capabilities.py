"""The order services check their actor again (access.PREPARE_ORDERS, SIGN_ORDERS): whoever
reaches them without the view's check is refused with a Russian message and nothing is written."""

import pytest

from reports.models import Order, OrderStatus
from reports.orders import services
from vprplan.errors import NotAllowed
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

PREPARERS_ONLY = "Приказ готовят муниципальный координатор и руководитель органа управления образованием."


@pytest.mark.parametrize("user", ["specialist", "school", "observer", "admin", "neighbour_coordinator", "nobody"])
def test_only_the_municipalitys_preparers_create_an_order(world, submitted_plan, authority, user):
    with pytest.raises(NotAllowed, match=PREPARERS_ONLY):
        services.order_create(plan=submitted_plan, actor=world.users[user])
    assert not Order.objects.exists() and not AuditEvent.objects.filter(action="order.created").exists()


@pytest.mark.parametrize("user", ["coordinator", "head"])
def test_the_coordinator_and_the_head_create_one(world, submitted_plan, authority, user):
    assert services.order_create(plan=submitted_plan, actor=world.users[user]).pk


def test_an_outsider_neither_edits_nor_revises_an_order(world, submitted_plan, authority):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator)
    with pytest.raises(NotAllowed, match=PREPARERS_ONLY):
        services.order_update(order=order, actor=world.specialist, title="Другое")
    order.refresh_from_db()
    assert order.title != "Другое"
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SIGNED)
    order.refresh_from_db()
    with pytest.raises(NotAllowed, match=PREPARERS_ONLY):
        services.order_revise(order=order, actor=world.users["neighbour_coordinator"])


@pytest.mark.parametrize("user", ["coordinator", "admin", "specialist"])
def test_only_the_head_asks_for_a_signature(world, submitted_plan, authority, user):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator)
    with pytest.raises(NotAllowed, match="Приказ подписывает руководитель органа управления образованием"):
        services.order_sign(order=order, actor=world.users[user])
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT and not order.documents.exists()
