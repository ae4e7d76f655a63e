"""The demo's signed order: Inta's order № 51 of 29.02.2024 that approved its road map
(fixtures/demo/source/order-inta-2024-51.txt), signed with a self-signed demo certificate so that
/public/inta/ lists it and its PDF downloads from there.

`seed_orders(orgs, users)` is idempotent and renders the PDF once: later runs find the signed
document and write nothing.
"""

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage

from activities.models import Plan
from reports.models import Order, OrderDocument, OrderStatus
from reports.orders.services import order_create, order_sign
from reports.signing.demo import ensure_pkcs12
from vprplan.calendar import is_working_day
from vprplan.upsert import upsert

INTA_ORDER = {
    "number": "51",
    "date": date(2024, 2, 29),
    "place": "г. Инта",
    "kind_local": "ТШӦКТӦД",
    "title": "Об утверждении Плана мероприятий («Дорожной карты») по обеспечению объективности результатов "
    "всероссийских проверочных работ на территории МО «Инта» в 2023-2024 учебном году",
    "preamble": "В целях повышения объективности проведения и проверки всероссийских проверочных работ, "
    "на основании Соглашения о взаимодействии с МКУ «ГУНО» от 21.10.2015",
    "clauses": [
        "Утвердить План мероприятий «Дорожную карту» по обеспечению объективности результатов "
        "всероссийских проверочных работ (далее - ВПР) на территории МО «Инта» в 2023-2024 учебном году "
        "согласно приложению к настоящему приказу.",
        "Руководителям муниципальных общеобразовательных организаций, расположенных на территории "
        "МО «Инта», обеспечить неукоснительное исполнение мероприятий «Дорожной карты» согласно "
        "приложению к настоящему приказу.",
        "Главному методисту сектора дошкольного, общего и дополнительного образования МКУ «ГУНО» "
        "Савельевой Н.И. организовать работу муниципальной комиссии по перепроверки работ в течение "
        "трех дней после завершения проверки на уровне комиссии ОО (в случае необходимости).",
        "Старшему методисту сектора дошкольного, общего и дополнительного образования МКУ «ГУНО» "
        "Мальцевой О.С. обеспечить организацию и проведение заседаний городских предметных методических "
        "объединений учителей начальных классов, учителей русского языка и литературы, учителей "
        "математики в соответствии с приложением к настоящему приказу.",
        "Настоящий приказ подлежит размещению на официальном сайте Отдела образования администрации "
        "МО «Инта».",
        "Контроль исполнения настоящего приказа оставляю за собой.",
    ],
    "executor_name": "Круглова Эвелина Олеговна",
    "executor_phone": "6-20-08",
    "distribution": "1 – в дело\n"
    "3 – Кругловой Э.О., Савельевой Н.И., Мальцевой О.С.\n"
    "9 – МБОУ: СОШ № 5, 6, 8, 10, Абезь, Петрунь, Лицей № 1 г. Инты, Гимназии № 2, 3",
}


def demo_certificate(authority) -> Path:
    """The authority head's self-signed demo certificate, made once under SIGNING_PKCS12_DIR."""
    password = settings.SIGNING_PKCS12_PASSWORD.encode() if settings.SIGNING_PKCS12_PASSWORD else None
    return ensure_pkcs12(
        Path(settings.SIGNING_PKCS12_DIR) / f"{authority.municipality.code}.p12",
        owner=authority.head_full_name or authority.head_name,
        organization=authority.full_name,
        password=password,
    )


def _signed_file_present(order: Order) -> bool:
    document = order.documents.filter(status=OrderDocument.Status.SIGNED).order_by("-created_at").first()
    return document is not None and bool(document.file.name) and default_storage.exists(document.file.name)


def seed_orders(orgs: dict, users: dict) -> Order:
    """Inta's order № 51, signed by the demo head; returns it."""
    inta = orgs["inta"]
    authority = inta.authority
    demo_certificate(authority)
    plan = Plan.objects.get(owner=inta, order_number="51", order_date=INTA_ORDER["date"])
    order = Order.objects.filter(organization=inta, year=2024, number="51").first()
    if order is not None and order.status == OrderStatus.SIGNED:
        if _signed_file_present(order):
            return order
        # The media folder was wiped under a kept database: sign the demo order anew.
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.DRAFT)
    values = {
        **INTA_ORDER,
        "plan": plan,
        "authority_name": authority.full_name,
        "authority_name_local": authority.full_name_local,
        "authority_genitive": authority.genitive_name,
        "signatory_position": authority.head_position,
        "signatory_name": authority.head_name,
        "status": OrderStatus.DRAFT,
    }
    # № 51 of 29.02.2024 is an entry of the paper register: its number and date are the register's.
    registered_on = values.pop("date")
    lookup = {"organization": inta, "plan": plan, "number": "51"}
    values = {k: v for k, v in values.items() if k not in lookup}
    order, _ = upsert(Order, lookup, values, exclude=("created_by",))
    order_sign(order=order, actor=users["head"], now=True, registered_on=registered_on)
    order.refresh_from_db()
    return order


# The current academic year --------------------------------------------------------------------


def current_order_day(plan: Plan, today: date) -> date:
    """The day of this year's order: two weeks into the academic year, or after the New Year
    holidays when the year has turned since (an order of the calendar year it is shown in), on a
    working day, never after `today`."""
    day = max(plan.period_start + timedelta(days=14), date(today.year, 1, 12))
    while not is_working_day(day) and day < today:
        day += timedelta(days=1)
    return min(day, today)


def sign_current_order(order: Order, actor) -> None:
    """The head signs this year's order through the normal signing service (the one call to adapt
    when signing assigns the number and the date)."""
    order_sign(order=order, actor=actor, now=True)


def seed_current_order(*, plan: Plan, users: dict, today: date) -> Order:
    """The order of this year approving the current plan (prefilled by `order_create` as any
    order is), signed by the demo head; found again on later runs."""
    authority = plan.owner.authority
    demo_certificate(authority)
    order = Order.objects.filter(plan=plan, replaces=None).order_by("pk").first()
    if order is not None and order.status == OrderStatus.SIGNED:
        if _signed_file_present(order):
            return order
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.DRAFT)  # media wiped: sign anew
    if order is None:
        order = order_create(plan=plan, actor=users["head"], on=current_order_day(plan, today))
    sign_current_order(order, users["head"])
    order.refresh_from_db()
    return order
