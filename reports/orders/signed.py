"""The steps every signing way shares (the server's key in services.py, the head's own signature
and paper in external.py): the plan checked and approved by the order, the PDF stored with the
certificate of its mark, the order and its document marked signed and the signature audited, and a
signature given up returning the order's number to the register."""

import hashlib
from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from activities.choices import PlanStatus
from activities.models import Plan
from activities.services import plan_approve_by_order
from reports.models import Order, OrderDocument, OrderStatus
from reports.signing import CertificateInfo
from vprplan.audit import audit
from vprplan.audit_actions import AuditAction
from vprplan.errors import DomainError

ORDERABLE = (PlanStatus.ON_APPROVAL, PlanStatus.APPROVED)  # the plans an order may approve


def check_plan(order: Order) -> None:
    if order.plan.status not in ORDERABLE:
        raise DomainError("План вернули на доработку: приказ не подписан.")


def approve_plan(order: Order, *, actor: User) -> None:
    """The plan approved by this order (the order's number and date written into it)."""
    plan = Plan.objects.select_for_update().get(pk=order.plan_id)
    if plan.status == PlanStatus.ON_APPROVAL:
        plan_approve_by_order(plan=plan, actor=actor, approved_on=order.date, approval_text=order.approval_text)
        Plan.objects.filter(pk=plan.pk).update(order_number=order.number, order_date=order.date)
    elif plan.status == PlanStatus.APPROVED:
        # Approved already (by this order on paper, or another): link, fill only what is missing.
        missing = {}
        if not plan.order_number and not plan.order_date:
            missing = {"order_number": order.number, "order_date": order.date}
        if not plan.approval_text:
            missing["approval_text"] = order.approval_text
        if missing:
            Plan.objects.filter(pk=plan.pk).update(**missing)
    else:
        raise DomainError("План вернули на доработку: приказ не подписан.")


def store_pdf(
    document: OrderDocument, pdf: bytes, *, pages: int, signer: str, certificate: CertificateInfo | None
) -> None:
    """The PDF into the document's file (the caller saves the row), with its digest and the
    certificate printed in its mark."""
    document.store_file(pdf, name=document.file_name)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.pages = pages
    document.signer = signer
    if certificate is not None:
        document.certificate_serial, document.certificate_owner = certificate.serial, certificate.owner
        document.certificate_valid_from, document.certificate_valid_to = certificate.valid_from, certificate.valid_to
        document.certificate_der = certificate.der


def mark_signed(order: Order, document: OrderDocument, *, actor: User, signed_at: datetime, **facts) -> None:
    """The document signed at `signed_at` (the signature's own time), the order by `actor` now,
    and audited."""
    document.signed_at = signed_at
    document.status = OrderDocument.Status.SIGNED
    document.save()
    order.status, order.signed_at, order.signed_by = OrderStatus.SIGNED, timezone.now(), actor
    order.save(update_fields=["status", "signed_at", "signed_by", "updated_at"])
    audit(
        actor,
        AuditAction.ORDER_SIGNED,
        order,
        organization=order.organization,
        document=str(document.pk),
        sha256=document.sha256,
        signing=document.method,
        **facts,
    )


def unregister(order_id) -> None:
    """A signature that failed gives its number back to the register and its date up."""
    Order.objects.filter(pk=order_id, status=OrderStatus.SIGNING, number_assigned=True).update(number="")
    Order.objects.filter(pk=order_id, status=OrderStatus.SIGNING).update(
        status=OrderStatus.DRAFT, date=None, year=None, number_assigned=False
    )
