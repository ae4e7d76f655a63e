"""Writes to orders: prepare, edit, sign (a job renders and signs the PDF), correct.

Signing an order approves its plan: `activities.services.plan_approve` with the order's date and
«УТВЕРЖДЕН приказом … от … № …»; a plan already approved (the demo's Inta plan) is only linked.
"""

import logging
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import Plan
from reports.models import Order, OrderDocument, OrderStatus
from reports.orders import external, selectors
from reports.orders import signed as signed_steps
from reports.orders.prefill import next_number, order_defaults
from reports.orders.render import render_order, site_url_problem
from reports.signing import Signer, signer_for
from reports.signing.cades import certs
from reports.signing.pades import check_signatures
from schools.choices import SigningMethod
from schools.models import EducationAuthority
from vprplan import jobs
from vprplan.audit import audit
from vprplan.audit_actions import AuditAction
from vprplan.errors import DomainError, NotAllowed

log = logging.getLogger(__name__)

SIGNER_ONLY = external.SIGNER_ONLY

RENDER_TASK = "reports.render_order_document"
ORDERABLE = signed_steps.ORDERABLE
EDITABLE_FIELDS = [
    "number",
    "place",
    "authority_name",
    "authority_name_local",
    "authority_genitive",
    "kind_local",
    "title",
    "preamble",
    "clauses",
    "signatory_position",
    "signatory_name",
    "executor_name",
    "executor_phone",
    "distribution",
]


def _authority(plan: Plan) -> EducationAuthority:
    authority = EducationAuthority.objects.filter(municipality_id=plan.owner_id).first()
    if authority is None:
        raise DomainError("У муниципалитета не заполнены сведения об органе управления образованием.")
    return authority


def _save(order: Order) -> Order:
    """Validate and save; a number already in the register this year is the user's error."""
    order.year = order.date.year if order.date else None
    try:
        order.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        if "__all__" in exc.message_dict:
            raise DomainError(
                f"Номер {order.number} уже есть в реестре приказов {order.date:%Y} года."
            ) from exc
        raise
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError as exc:
        raise DomainError(f"Номер {order.number} уже есть в реестре приказов {order.date:%Y} года.") from exc
    return order


def _require_preparer(actor: User, organization) -> None:
    """Orders are prepared and corrected by the municipality's plan keepers and its head."""
    if not selectors.can_prepare(actor, organization):
        raise NotAllowed("Приказ готовят муниципальный координатор и руководитель органа управления образованием.")


def _require_signer(actor: User, organization) -> None:
    if not selectors.can_sign(actor, organization):
        raise NotAllowed(SIGNER_ONLY)


@transaction.atomic
def order_create(*, plan: Plan, actor: User, on: date | None = None) -> Order:
    """A draft order approving `plan`, prefilled so that most orders need only a look. It has no
    number and no date yet: both are given when it is signed. (`on` is kept for old callers.)"""
    _require_preparer(actor, plan.owner)
    if plan.status not in ORDERABLE:
        raise DomainError("Приказ готовится по плану, отправленному на утверждение или утверждённому.")
    values = order_defaults(plan=plan, authority=_authority(plan), actor=actor)
    order = _save(Order(created_by=actor, **values))
    audit(actor, "order.created", order, organization=plan.owner, plan=plan.pk)
    return order


def _ensure_draft(order: Order) -> None:
    if order.status != OrderStatus.DRAFT:
        raise DomainError(
            "Приказ подписан или подписывается: изменить его нельзя, исправление — новый приказ."
        )


@transaction.atomic
def order_update(*, order: Order, actor: User, **values) -> Order:
    _require_preparer(actor, order.organization)
    _ensure_draft(order)
    changes = {}
    for name, value in values.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(name)
        if getattr(order, name) != value:
            changes[name] = [str(getattr(order, name)), str(value)]
            setattr(order, name, value)
    if changes:
        _save(order)
        audit(actor, "order.changed", order, organization=order.organization, changes=changes)
    return order


def _check_signable(order: Order) -> None:
    _ensure_draft(order)
    if not order.clauses:
        raise DomainError("В приказе нет ни одного пункта после «ПРИКАЗЫВАЮ:».")
    if order.plan.status not in ORDERABLE:
        raise DomainError("План не отправлен на утверждение: подписывать приказ об утверждении рано.")


def order_sign(
    *,
    order: Order,
    actor: User,
    now: bool = False,
    registered_on: date | None = None,
    method: str = SigningMethod.SERVER,
    certificate_der: bytes = b"",
) -> OrderDocument:
    """The head signs: the order is registered (its number and date given, see `_register`) and
    locked, and a job renders the PDF and signs it. Returns the document record whose status the
    page polls. With `now` (the render_order command, the demo) the work is done here and the
    finished record returned. `registered_on` is the date of a paper register's entry (the demo's
    historical order № 51 of 29.02.2024): only with the number from that register.

    `method` is one of the authority's ways (schools.choices.SigningMethod). Signed with the
    organisation's key on the server, the job finishes the document; the other ways stop with the
    PDF awaiting the head's detached signature (browser, detached: `certificate_der` is the head's
    certificate, printed in the mark) or the scan of the paper original (reports.orders.external)."""
    document = _sign_request(
        order=order,
        actor=actor,
        queue=not now,
        registered_on=registered_on,
        method=method,
        certificate_der=certificate_der,
    )
    if now:
        document = order_document_render(document_id=document.pk)
    return document


def _register(order: Order, *, registered_on: date | None) -> None:
    """Registration: the date is the signing day in the region's time zone; the number is the
    next of the authority's register that year unless the clerk entered one from a paper register."""
    today = timezone.localdate(timezone=order.organization.tz)
    paper = order.number.strip()
    if registered_on is not None:
        if not paper:
            raise DomainError("Дата регистрации указывается только с номером из бумажного журнала.")
        if registered_on > today:
            raise DomainError("Дата регистрации приказа не может быть позже сегодняшнего дня.")
    order.date = registered_on or today
    order.year = order.date.year
    if paper:
        taken = Order.objects.filter(organization=order.organization, year=order.year, number=paper)
        if taken.exclude(pk=order.pk).exists():
            raise DomainError(f"Номер {paper} уже есть в реестре приказов {order.year} года.")
        order.number, order.number_assigned = paper, False
    else:
        order.number, order.number_assigned = next_number(order.organization, order.year), True


@transaction.atomic
def _sign_request(
    *,
    order: Order,
    actor: User,
    queue: bool,
    registered_on: date | None = None,
    method: str = SigningMethod.SERVER,
    certificate_der: bytes = b"",
) -> OrderDocument:
    order = Order.objects.select_for_update().select_related("plan", "organization").get(pk=order.pk)
    _check_signable(order)
    # The head signs, with the server's key, his own hand or certificate. The server's key also
    # signs for the render_order command run by an administrator on the server (`queue` off), on
    # behalf of whoever prepared the order.
    if queue or method != SigningMethod.SERVER:
        _require_signer(actor, order.organization)
    problem = site_url_problem()
    if problem:
        raise DomainError(problem)
    authority = _authority(order.plan)
    if method not in authority.allowed_signing_methods:
        raise DomainError("Этот способ подписи не разрешён для органа управления образованием.")
    certificate = external.head_certificate(certificate_der) if method in external.WITH_CERTIFICATE else None
    signer_for(authority, method=method, certificate=certificate)  # no key on the server: say so now
    # One registration at a time per authority: two heads signing at once get different numbers.
    EducationAuthority.objects.select_for_update().filter(pk=authority.pk).first()
    _register(order, registered_on=registered_on)
    order.status = OrderStatus.SIGNING
    order.save(update_fields=["status", "number", "number_assigned", "date", "year", "updated_at"])
    document = OrderDocument.objects.create(
        order=order, requested_by=actor, method=method, certificate_der=certificate.der if certificate else b""
    )
    if queue:
        document.job = jobs.enqueue(RENDER_TASK, str(document.pk), actor=actor)
        document.save(update_fields=["job"])
    audit(
        actor,
        AuditAction.ORDER_SIGN_REQUESTED,
        order,
        organization=order.organization,
        document=str(document.pk),
        signing=method,
        certificate=certificate.serial if certificate else "",
    )
    return document


def order_document_render(*, document_id, signer: Signer | None = None) -> OrderDocument:
    """The job: render the PDF, sign it, store it with its SHA-256, approve the plan. Running it
    again for a finished document does nothing. A failure is recorded on the document and the
    order goes back to draft, so the head can sign again."""
    claimed = OrderDocument.claim(document_id)
    document = OrderDocument.objects.select_related("order", "order__plan", "order__organization").get(
        pk=document_id
    )
    if not claimed:
        return document
    try:
        signer = signer or _signer_of(document)
        return _render_and_sign(document, signer)
    except Exception as exc:
        if not isinstance(exc, DomainError):
            log.exception("Order document %s failed", document_id)
        with transaction.atomic():
            if OrderDocument.fail(document_id, str(exc)[:2000] or repr(exc)):
                signed_steps.unregister(document.order_id)
                audit(
                    document.requested_by,
                    "order.sign_failed",
                    document.order,
                    organization=document.order.organization,
                    error=str(exc)[:500],
                )
        document.refresh_from_db()
        return document


def _signer_of(document: OrderDocument) -> Signer:
    """The signer of the way the head chose: for his own certificate, the one he gave."""
    certificate = None
    if document.certificate_der:
        certificate = certs.info(certs.load(bytes(document.certificate_der)))
    return signer_for(_authority(document.order.plan), method=document.method, certificate=certificate)


def _render_and_sign(document: OrderDocument, signer: Signer) -> OrderDocument:
    order = document.order
    signed_steps.check_plan(order)
    certificate = signer.certificate()
    rendered = render_order(order, document=document, certificate=certificate)
    if getattr(signer, "external", False):
        return external.keep_for_signing(document, rendered=rendered, certificate=certificate, signer=signer)
    signed = signer.sign(
        rendered.pdf, reason=f"Утверждение: приказ {order.requisites}", location=order.place, contact=""
    )
    checks = check_signatures(signed, trust=[certificate.der])
    if not checks or not checks[-1].bottom_line:
        raise DomainError("Подпись документа не прошла проверку: документ не сохранён.")
    digest = checks[-1].message_digest
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("plan").get(pk=order.pk)
        if order.status != OrderStatus.SIGNING:
            raise DomainError("Приказ больше не ожидает подписи.")
        signed_steps.approve_plan(order, actor=document.requested_by)
        signed_steps.store_pdf(document, signed, pages=rendered.pages, signer=signer.name, certificate=certificate)
        document.signature_digest = digest
        signed_steps.mark_signed(order, document, actor=document.requested_by, signed_at=timezone.now())
    return document


@transaction.atomic
def order_revise(*, order: Order, actor: User) -> Order:
    """A correction of a signed order is a new order: a draft copy with the next number."""
    _require_preparer(actor, order.organization)
    if order.status != OrderStatus.SIGNED:
        raise DomainError("Исправляется подписанный приказ; проект можно просто изменить.")
    values = {name: getattr(order, name) for name in EDITABLE_FIELDS}
    values["number"] = ""  # given when the correction is signed
    copy = _save(
        Order(organization=order.organization, plan=order.plan, replaces=order, created_by=actor, **values)
    )
    audit(actor, "order.revised", copy, organization=order.organization, replaces=order.pk)
    return copy
