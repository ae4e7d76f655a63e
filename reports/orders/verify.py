"""Is an uploaded PDF a signed original of this system? Two independent checks: its SHA-256 equals
a stored signed document's, and pyHanko finds the signature intact, valid and made with a
certificate this system signed with (a tampered file keeps valid=True but intact=False: the
verdict reads `bottom_line`)."""

import hashlib
from dataclasses import dataclass, field

from reports.models import OrderDocument
from reports.orders import selectors
from reports.signing.pades import SignatureCheck, check_signatures, signer_serials


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
