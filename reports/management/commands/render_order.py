"""`python manage.py render_order ORDER_ID --out FILE` (DESIGN.md §4): renders and signs the order
synchronously and writes the signed PDF. A signed order is immutable: its stored PDF is written as
it is, never signed again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.models import Order, OrderDocument, OrderStatus
from reports.orders.services import order_sign
from vprplan.errors import DomainError


class Command(BaseCommand):
    help = "Формирует PDF приказа с приложением, подписывает его и записывает в файл."

    def add_arguments(self, parser):
        parser.add_argument("order_id", type=int, help="номер записи приказа (id)")
        parser.add_argument("--out", required=True, help="куда записать подписанный PDF")

    def handle(self, *args, order_id: int, out: str, **options):
        order = Order.objects.select_related("plan", "organization").filter(pk=order_id).first()
        if order is None:
            raise CommandError(f"Приказа с id {order_id} нет.")
        if order.status == OrderStatus.SIGNING:
            waiting = order.documents.filter(
                status__in=[OrderDocument.Status.AWAITING_SIGNATURE, OrderDocument.Status.AWAITING_SCAN]
            ).first()
            if waiting is not None:
                raise CommandError(
                    f"Приказ ждёт подписи руководителя ({waiting.get_method_display()}): "
                    "подпись или скан загружаются на странице документа."
                )
            raise CommandError("Приказ уже подписывается фоновой задачей: дождитесь её окончания.")
        if order.status == OrderStatus.SIGNED:
            document = (
                order.documents.filter(status=OrderDocument.Status.SIGNED).order_by("-created_at").first()
            )
            if document is None:
                raise CommandError("Приказ отмечен подписанным, но подписанного файла нет.")
            note = "уже был подписан"
        else:
            actor = order.signed_by or order.created_by
            try:
                document = order_sign(order=order, actor=actor, now=True)
            except DomainError as exc:
                raise CommandError(str(exc)) from exc
            if not document.is_signed:
                raise CommandError(f"Не удалось подписать: {document.error}")
            note = "подписан"
            order.refresh_from_db()  # registered when signed: its number and date are now given
        with document.file.open("rb") as f:
            data = f.read()
        Path(out).write_bytes(data)
        self.stdout.write(
            f"Приказ {order.requisites} {note}: {out} ({document.pages} с., {len(data)} байт), "
            f"SHA-256 {document.sha256}, проверка: /verify/{document.pk}/"
        )
