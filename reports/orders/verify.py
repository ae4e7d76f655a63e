"""Is an uploaded file a signed original of this system? Three kinds of original (DESIGN §5):

- a PDF signed inside (PAdES, the organisation's key): its SHA-256 equals a stored signed
  document's, and pyHanko finds the signature intact, valid and made with a certificate this system
  signed with (a tampered file keeps valid=True but intact=False: the verdict reads `bottom_line`);
- a PDF with its detached signature (.sig, CAdES-BES: the head's qualified signature): the
  signature verifies over the PDF up to a trusted root (reports.signing.cades), and the PDF is a
  stored document's; the PDF alone is recognised by its SHA-256;
- the scan of a paper original, registered here: by its SHA-256.
"""

import hashlib
from dataclasses import dataclass, field

from reports.models import OrderDocument
from reports.orders import selectors
from reports.signing.cades.verify import SignatureFileError, SignerCheck, verify_detached
from reports.signing.pades import SignatureCheck, check_signatures, signer_serials


class Kind:
    """Which kind of original the file is (or claims to be)."""

    PADES = "pades"  # a PDF with its signature inside
    CADES = "cades"  # a PDF and its detached signature
    DETACHED_PDF = "detached_pdf"  # the PDF of an order signed with a detached signature, alone
    PAPER_SCAN = "paper_scan"  # the scan of a paper original
    PAPER_PRINT = "paper_print"  # the PDF printed for signing by hand (not the original)


class Verdict:
    ORIGINAL = "original"  # the file is byte for byte a signed document, its signature is valid
    ALTERED = "altered"  # signed here, changed afterwards (or its signature no longer verifies)
    FOREIGN = "foreign"  # signed, but not by this system
    UNSIGNED = "unsigned"  # no signature at all
    UNREADABLE = "unreadable"  # not a PDF


@dataclass
class Verification:
    verdict: str
    sha256: str
    document: OrderDocument | None = None
    checks: list[SignatureCheck] = field(default_factory=list)
    problem: str = ""
    kind: str = Kind.PADES
    signers: list[SignerCheck] = field(default_factory=list)  # of a detached signature

    @property
    def is_original(self) -> bool:
        return self.verdict == Verdict.ORIGINAL


def _problem(check: SignatureCheck | None) -> str:
    if check is None:
        return "Файл не совпадает ни с одним подписанным документом."
    if not check.intact:
        return "Содержимое файла изменено после подписания: подпись к нему больше не подходит."
    if not check.covers_whole_file:
        return "После подписания в файл дописаны изменения."
    if not check.valid or not check.trusted:
        return "Подпись не проходит проверку."
    return "Файл не совпадает побайтно с подписанным оригиналом."


def verify_file(data: bytes, *, signature: bytes | None = None, kind: str = "pdf") -> Verification:
    """The one entry of /verify/: a PDF with its .sig, a scan (PDF or image), or a PDF alone."""
    sha256 = hashlib.sha256(data).hexdigest()
    if signature:
        return verify_pair(data, signature)
    scanned = selectors.documents_by_scan(sha256).first()
    if scanned is not None:
        return Verification(Verdict.ORIGINAL, sha256, document=scanned, kind=Kind.PAPER_SCAN)
    if kind != "pdf":
        return Verification(
            Verdict.UNSIGNED,
            sha256,
            kind=Kind.PAPER_SCAN,
            problem="Это изображение не совпадает ни с одним сканом подписанного приказа, загруженным в систему.",
        )
    result = verify_pdf(data)
    if result.verdict == Verdict.UNSIGNED:
        stored = selectors.documents_by_sha256(sha256, signed_inside=False).first()
        if stored is not None and stored.method == "paper":
            return Verification(
                Verdict.ALTERED,
                sha256,
                document=stored,
                kind=Kind.PAPER_PRINT,
                problem="Это печатная форма приказа, подписанного на бумаге, а не подписанный экземпляр: "
                "оригинал — бумажный, его скан можно скачать на странице документа.",
            )
        if stored is not None:
            return Verification(Verdict.ORIGINAL, sha256, document=stored, kind=Kind.DETACHED_PDF)
    return result


def verify_pair(data: bytes, signature: bytes) -> Verification:
    """A PDF and its detached signature: the signature must verify over these bytes up to a trusted
    root, and the PDF be a document of this system for the verdict «original»."""
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        result = verify_detached(data, signature)
    except SignatureFileError as exc:
        return Verification(Verdict.UNREADABLE, sha256, kind=Kind.CADES, problem=str(exc))
    stored = selectors.documents_by_sha256(sha256, signed_inside=False).filter(method__in=["browser", "detached"]).first()
    signature_sha256 = hashlib.sha256(signature).hexdigest()
    claimed = stored or selectors.documents_by_signature_file(signature_sha256).first()
    if result.valid and stored is not None:
        if any(s.certificate and s.certificate.serial == stored.certificate_serial for s in result.signers):
            return Verification(Verdict.ORIGINAL, sha256, document=stored, kind=Kind.CADES, signers=result.signers)
    if claimed is not None:
        return Verification(
            Verdict.ALTERED,
            sha256,
            document=claimed,
            kind=Kind.CADES,
            signers=result.signers,
            problem=result.problem or "Подпись сделана не тем сертификатом, которым подписан приказ.",
        )
    if result.valid:
        return Verification(
            Verdict.FOREIGN,
            sha256,
            kind=Kind.CADES,
            signers=result.signers,
            problem="Подпись действительна, но документ выпущен не в этой системе: его регистрация здесь не подтверждается.",
        )
    return Verification(Verdict.FOREIGN, sha256, kind=Kind.CADES, signers=result.signers, problem=result.problem)


def verify_pdf(data: bytes) -> Verification:
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        serials = signer_serials(data)
        checks = check_signatures(data, trust=selectors.certificates_by_serial(serials)) if serials else []
    except ValueError as exc:
        return Verification(Verdict.UNREADABLE, sha256, problem=str(exc))
    stored = selectors.documents_by_sha256(sha256).first()
    if stored is not None and any(c.bottom_line and c.serial == stored.certificate_serial for c in checks):
        return Verification(Verdict.ORIGINAL, sha256, document=stored, checks=checks)
    for check in checks:
        if not (check.serial and check.message_digest):  # a signature without them claims nothing
            continue
        claimed = selectors.documents_by_signature(serial=check.serial, digest=check.message_digest).first()
        if claimed is not None:
            return Verification(
                Verdict.ALTERED, sha256, document=claimed, checks=checks, problem=_problem(check)
            )
    if stored is not None:  # our bytes, but the signature does not verify any more
        return Verification(Verdict.ALTERED, sha256, document=stored, checks=checks, problem=_problem(None))
    if checks:
        return Verification(
            Verdict.FOREIGN,
            sha256,
            checks=checks,
            problem="Документ подписан, но не выпущен в этой системе: его подлинность здесь не подтверждается.",
        )
    return Verification(Verdict.UNSIGNED, sha256, problem="В файле нет электронной подписи.")
