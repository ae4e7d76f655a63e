"""Reads of orders and their documents, scoped by the user (vprplan.access); the public sees
signed documents only."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from activities.choices import PlanStatus
from activities.models import Plan
from reports.models import Order, OrderDocument, OrderStatus
from reports.signing import serial_variants
from schools.choices import OrgKind, SigningMethod
from vprplan import access

SIGNED = OrderDocument.Status.SIGNED


def orders_for_user(*, user) -> QuerySet[Order]:
    """A municipality's orders are read by its head and coordinator and the region's
    administrator (access.READ_ORDERS)."""
    return Order.objects.filter(
        access.managed_q(user, "organization", roles_=access.READ_ORDERS)
    ).select_related("organization", "plan")


def order_for_user(*, user, pk: int) -> Order:
    return get_object_or_404(orders_for_user(user=user), pk=pk)


def can_prepare(user, organization) -> bool:
    """The municipality's plan keepers and its head prepare and edit its draft orders."""
    return organization.kind == OrgKind.MUNICIPALITY and access.can(user, access.PREPARE_ORDERS, organization)


def can_sign(user, organization) -> bool:
    """Only the head of the plan owner's municipality signs (access.SIGN_ORDERS: its approver)."""
    return organization.kind == OrgKind.MUNICIPALITY and access.can(user, access.SIGN_ORDERS, organization)


def preparable_organizations(user) -> list:
    return [o for o in access.user_organizations(user) if can_prepare(user, o)]


def plans_awaiting_order(*, user) -> QuerySet[Plan]:
    """Plans the user can prepare an order for: submitted for approval, or approved without a
    signed order in this system."""
    owners = [o.pk for o in preparable_organizations(user)]
    signed = Order.objects.filter(plan=OuterRef("pk"), status=OrderStatus.SIGNED)
    drafts = Order.objects.filter(plan=OuterRef("pk")).exclude(status=OrderStatus.SIGNED)
    return (
        Plan.objects.filter(owner_id__in=owners, status__in=[PlanStatus.ON_APPROVAL, PlanStatus.APPROVED])
        .annotate(has_signed=Exists(signed), has_draft=Exists(drafts))
        .filter(has_signed=False)
        .select_related("owner")
        .order_by("-period_start", "title")
    )


def documents_of(order: Order) -> list[OrderDocument]:
    return list(order.documents.select_related("requested_by").order_by("-created_at"))


def document_for_user(*, user, pk) -> OrderDocument:
    """A document of an order the user reads (any status), or 404."""
    return get_object_or_404(
        OrderDocument.objects.select_related("order", "order__organization", "order__plan"),
        pk=pk,
        order__in=orders_for_user(user=user),
    )


def public_document(*, pk) -> OrderDocument:
    """A signed document, for anyone (the QR code's page and the download); others are 404."""
    return get_object_or_404(
        OrderDocument.objects.select_related("order", "order__organization", "order__plan"),
        pk=pk,
        status=SIGNED,
    )


def published_orders(*, owner) -> QuerySet[Order]:
    """The organisation's signed orders with their signed document (what /public/<code>/ lists)."""
    return (
        Order.objects.filter(organization=owner, status=OrderStatus.SIGNED)
        .prefetch_related(Prefetch("documents", queryset=OrderDocument.objects.filter(status=SIGNED)))
        .order_by("-date", "-pk")
    )


def documents_by_sha256(sha256: str, *, signed_inside: bool = True) -> QuerySet[OrderDocument]:
    """Signed documents whose PDF has this SHA-256: signed inside (PAdES, the organisation's key),
    or (signed_inside=False) signed outside: a detached signature or a paper original."""
    method = Q(method=SigningMethod.SERVER) if signed_inside else ~Q(method=SigningMethod.SERVER)
    return OrderDocument.objects.filter(method, sha256=sha256, status=SIGNED).select_related(
        "order", "order__organization"
    )


def documents_by_scan(sha256: str) -> QuerySet[OrderDocument]:
    return OrderDocument.objects.filter(scan_sha256=sha256, status=SIGNED).select_related(
        "order", "order__organization"
    )


def documents_by_signature_file(sha256: str) -> QuerySet[OrderDocument]:
    return OrderDocument.objects.filter(signature_sha256=sha256, status=SIGNED).select_related(
        "order", "order__organization"
    )


def documents_by_signature(*, serial: str, digest: str) -> QuerySet[OrderDocument]:
    return OrderDocument.objects.filter(
        certificate_serial=serial, signature_digest=digest, status=SIGNED
    ).select_related("order", "order__organization")


def certificates_by_serial(serials: list[str]) -> list[bytes]:
    """The certificates this system signed with, by serial: the only trust anchors of /verify/."""
    found = []
    for serial in dict.fromkeys(serials):
        der = (
            OrderDocument.objects.filter(certificate_serial__in=serial_variants(serial), status=SIGNED)
            .values_list("certificate_der", flat=True)
            .first()
        )
        if der:
            found.append(bytes(der))
    return found
