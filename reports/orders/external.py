"""The ways an order is signed outside this server (DESIGN §5), after the job has rendered its PDF:

- the head's qualified signature in the browser (CryptoPro ЭЦП Browser plug-in, static/js/cades-sign.js)
  or a detached `.sig` made in КриптоАРМ or a СЭД: the PDF (with the mark of the certificate he chose)
  waits for the signature; `order_document_attach_signature` verifies it (reports.signing.cades) and
  keeps the PDF and its `.sig`;
- on paper: the PDF (with the place of the handwritten signature) is printed, signed and registered;
  `order_document_attach_scan` keeps the scan, checked by content, and publishes the order.

`order_signing_cancel` gives a waiting document up: the order returns to draft and its number to
the register.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reports.models import Order, OrderDocument, OrderStatus
from reports.orders import selectors
from reports.orders import signed as signed_steps
from reports.signing import CertificateInfo
from reports.signing.cades import certs
from reports.signing.cades.verify import SignatureFileError, path_problem, verify_detached
from schools.choices import SigningMethod
from vprplan.audit import audit
from vprplan.audit_actions import AuditAction
from vprplan.errors import DomainError, NotAllowed

SIGNER_ONLY = "Приказ подписывает руководитель органа управления образованием."
WITH_CERTIFICATE = (SigningMethod.BROWSER, SigningMethod.DETACHED)
# A signature's stated time may run ahead of the server's clock by this much (the head's computer).
CLOCK_SKEW = timedelta(minutes=10)
Status = OrderDocument.Status


def head_certificate(der: bytes) -> CertificateInfo:
    """The certificate the head will sign with, checked before anything is rendered: readable,
    valid today and issued under a trusted root (else the message says why)."""
    if not der:
        raise DomainError("Выберите сертификат, которым будет подписан приказ.")
    try:
        certificate = certs.load(certs.der_from_file_bytes(der))
    except certs.CertificateError as exc:
        raise DomainError(str(exc)) from exc
    now = datetime.now(UTC)
    if not certs.valid_at(certificate, now):
        raise DomainError(
            f"Сертификат {certs.owner(certificate.subject)} действителен с {certificate.not_valid_before:%d.%m.%Y} "
            f"по {certificate.not_valid_after:%d.%m.%Y}: сегодня им подписать нельзя."
        )
    code, problem = path_problem(certificate, [], certs.trust_store(), now, lambda: None)
    if code:
        raise DomainError(problem)
    return certs.info(certificate)


def keep_for_signing(document: OrderDocument, *, rendered, certificate: CertificateInfo | None, signer) -> OrderDocument:
    """The job's end for the external ways: the PDF is kept as rendered and waits for the head."""
    pdf = rendered.pdf
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=document.order_id)
        if order.status != OrderStatus.SIGNING:
            raise DomainError("Приказ больше не ожидает подписи.")
        signed_steps.store_pdf(document, pdf, pages=rendered.pages, signer=signer.name, certificate=certificate)
        document.status = Status.AWAITING_SCAN if document.method == SigningMethod.PAPER else Status.AWAITING_SIGNATURE
        document.save()
        audit(
            document.requested_by,
            AuditAction.ORDER_READY_FOR_SIGNATURE,
            order,
            organization=order.organization,
            document=str(document.pk),
            signing=document.method,
            sha256=document.sha256,
        )
    return document


def _waiting(document: OrderDocument, actor: User, status: str, *, lock: bool = False) -> OrderDocument:
    """The document, read again (locked within a transaction), if it waits for this and the actor
    is the head who signs."""
    documents = OrderDocument.objects.select_for_update() if lock else OrderDocument.objects
    document = documents.select_related("order", "order__organization", "order__plan").get(pk=document.pk)
    if not selectors.can_sign(actor, document.order.organization):
        raise NotAllowed(SIGNER_ONLY)
    if document.status != status:
        raise DomainError("Документ не ожидает этого: обновите страницу.")
    return document


def _publish(document: OrderDocument, *, actor: User, signed_at: datetime, **facts) -> OrderDocument:
    """The order is signed: the plan approved, the document and the order locked, the step audited."""
    order = Order.objects.select_for_update().select_related("plan", "organization").get(pk=document.order_id)
    if order.status != OrderStatus.SIGNING:
        raise DomainError("Приказ больше не ожидает подписи.")
    signed_steps.check_plan(order)
    signed_steps.approve_plan(order, actor=actor)
    signed_steps.mark_signed(order, document, actor=actor, signed_at=signed_at, **facts)
    return document


def order_document_attach_signature(*, document: OrderDocument, actor: User, signature: bytes) -> OrderDocument:
    """The head's detached CAdES-BES signature over the waiting PDF (from the plug-in or a .sig
    file): verified against the PDF as stored, the certificate of the mark and the trusted roots;
    kept with the PDF when it holds, refused with the reason otherwise (and the refusal audited).

    The verification (pure-Python GOST, up to a second) runs before the transaction that publishes,
    so no lock is held meanwhile and a refusal's audit line is not rolled back with it."""
    document = _waiting(document, actor, Status.AWAITING_SIGNATURE)
    with document.file.open("rb") as stored:
        pdf = stored.read()
    try:
        result = verify_detached(pdf, signature)
        problem, code = (result.problem, result.code) if not result.valid else ("", "")
    except SignatureFileError as exc:
        problem, code, result = str(exc), "unreadable", None
    signer = None
    if not problem:
        der = bytes(document.certificate_der)
        signer = next((s for s in result.signers if s.certificate and s.certificate.der == der), None)
        if signer is None:
            problem, code = (
                "Подпись сделана другим сертификатом, а не тем, что указан в отметке об электронной подписи "
                f"(№ {document.certificate_serial}, {document.certificate_owner}). Подпишите этот PDF выбранным "
                "сертификатом или начните подписание заново.",
                "other_certificate",
            )
        elif signer.signed_at and not (
            document.created_at - CLOCK_SKEW <= signer.signed_at <= timezone.now() + CLOCK_SKEW
        ):
            problem, code = "Время подписи в файле подписи не совпадает со временем подписания приказа.", "time"
    if problem:
        audit(
            actor,
            AuditAction.ORDER_SIGNATURE_REFUSED,
            document.order,
            organization=document.order.organization,
            document=str(document.pk),
            code=code,
            problem=problem[:500],
        )
        raise DomainError(problem)
    with transaction.atomic():
        document = _waiting(document, actor, Status.AWAITING_SIGNATURE, lock=True)
        document.signature.save(f"{document.file_name}.sig", ContentFile(signature), save=False)
        document.signature_sha256 = hashlib.sha256(signature).hexdigest()
        document.signer = f"{document.signer}; {signer.key}"[:100]
        return _publish(
            document,
            actor=actor,
            signed_at=signer.signed_at or timezone.now(),
            certificate=document.certificate_serial,
            signature_sha256=document.signature_sha256,
        )


@transaction.atomic
def order_document_attach_scan(*, document: OrderDocument, actor: User, scan: bytes, kind: str) -> OrderDocument:
    """The scan of the paper original (signed by hand, registered): checked by content before it
    gets here (vprplan.uploads: PDF, JPEG or PNG), kept and published with the order."""
    document = _waiting(document, actor, Status.AWAITING_SCAN, lock=True)
    if kind not in ("pdf", "jpg", "png"):
        raise DomainError("Скан загружается в формате PDF, JPEG или PNG.")
    digest = hashlib.sha256(scan).hexdigest()
    document.scan.save(f"{document.file_name[:-4]}-skan.{kind}", ContentFile(scan), save=False)
    document.scan_sha256, document.scan_kind = digest, kind
    return _publish(document, actor=actor, signed_at=timezone.now(), scan_sha256=digest)


@transaction.atomic
def order_signing_cancel(*, document: OrderDocument, actor: User) -> OrderDocument:
    """The head gives up a waiting document (another way, another certificate): the order goes
    back to draft and its number to the register."""
    document = OrderDocument.objects.select_for_update().select_related("order", "order__organization").get(pk=document.pk)
    if not selectors.can_sign(actor, document.order.organization):
        raise NotAllowed(SIGNER_ONLY)
    if not document.is_awaiting:
        raise DomainError("Документ не ожидает подписи: отменять нечего.")
    document.status, document.error = Status.FAILED, "Подписание отменено руководителем."
    document.save()
    signed_steps.unregister(document.order_id)
    audit(
        actor,
        AuditAction.ORDER_SIGN_CANCELLED,
        document.order,
        organization=document.order.organization,
        document=str(document.pk),
        signing=document.method,
    )
    return document
