"""PAdES signatures with pyHanko and a PKCS#12 certificate, and their validation.

The certificate of an authority is `SIGNING_PKCS12_DIR/<municipality code>.p12` when that file
exists, else the one of `SIGNING_PKCS12_PATH`; both open with `SIGNING_PKCS12_PASSWORD`.

pyHanko's synchronous calls run `asyncio.run()`, which fails inside a running event loop (an ASGI
worker, Playwright's sync API): `_blocking()` moves them to a thread then.
"""

import asyncio
import concurrent.futures
import io
import itertools
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from reports.signing import CertificateInfo, SigningUnavailable, serial_hex


def _blocking(func, *args, **kwargs):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def _name_part(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def certificate_owner(name: x509.Name) -> str:
    """The owner's full name: surname and given names (qualified certificates carry them as SN and
    GN, the common name often being the organisation), else the common name."""
    surname = _name_part(name, NameOID.SURNAME)
    given = _name_part(name, NameOID.GIVEN_NAME)
    return f"{surname} {given}".strip() if surname and given else _name_part(name, NameOID.COMMON_NAME)


def certificate_info(certificate: x509.Certificate) -> CertificateInfo:
    return CertificateInfo(
        serial=serial_hex(certificate.serial_number),
        owner=certificate_owner(certificate.subject),
        organization=_name_part(certificate.subject, NameOID.ORGANIZATION_NAME),
        valid_from=certificate.not_valid_before_utc,
        valid_to=certificate.not_valid_after_utc,
        issuer=_name_part(certificate.issuer, NameOID.COMMON_NAME),
        der=certificate.public_bytes(Encoding.DER),
    )


def pkcs12_path(authority) -> Path | None:
    """The PKCS#12 file that signs for this authority, or None when none is configured."""
    code = authority.municipality.code if authority is not None else ""
    own = Path(settings.SIGNING_PKCS12_DIR) / f"{code}.p12" if code else None
    if own is not None and own.is_file():
        return own
    if settings.SIGNING_PKCS12_PATH and Path(settings.SIGNING_PKCS12_PATH).is_file():
        return Path(settings.SIGNING_PKCS12_PATH)
    return None


def _password() -> bytes | None:
    password = settings.SIGNING_PKCS12_PASSWORD
    return password.encode() if password else None


class PadesSigner:
    """`Signer` with pyHanko: a PAdES baseline (B-B) signature in an invisible field; the visible
    mark is printed by the document itself (ГОСТ Р 7.0.97: in place of the handwritten signature)."""

    name = "PAdES, pyHanko, PKCS#12"
    method = "server"
    external = False

    def __init__(self, authority=None, *, path: Path | None = None, password: bytes | None = None):
        path = path or pkcs12_path(authority)
        if path is None:
            raise SigningUnavailable(
                "Сертификат электронной подписи органа управления образованием не настроен "
                "(SIGNING_PKCS12_DIR или SIGNING_PKCS12_PATH)."
            )
        password = password if password is not None else _password()
        try:
            data = Path(path).read_bytes()
            _key, certificate, _chain = pkcs12.load_key_and_certificates(data, password)
        except (OSError, ValueError) as exc:
            raise SigningUnavailable(f"Не удалось открыть сертификат подписи {path}: {exc}") from exc
        if certificate is None:
            raise SigningUnavailable(f"В файле {path} нет сертификата.")
        self._data, self._password = data, password
        self._info = certificate_info(certificate)

    def certificate(self) -> CertificateInfo:
        return self._info

    def sign(self, pdf: bytes, *, reason: str, location: str, contact: str = "") -> bytes:
        return _blocking(self._sign, pdf, reason=reason, location=location, contact=contact)

    def _sign(self, pdf: bytes, *, reason: str, location: str, contact: str) -> bytes:
        # pyHanko is heavy (≈1.4 s to import here): loaded by the signing and verifying calls only.
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        signer = signers.SimpleSigner.load_pkcs12_data(self._data, other_certs=[], passphrase=self._password)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        taken = sum(1 for _ in fields.enumerate_sig_fields(writer))  # a counter-signature adds a field
        meta = signers.PdfSignatureMetadata(
            field_name=f"Signature{taken + 1}",
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            contact_info=contact or None,
            name=self._info.owner,
        )
        return signers.sign_pdf(writer, meta, signer=signer).getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """One embedded signature as pyHanko judged it."""

    serial: str
    owner: str
    message_digest: str  # hex: what the signer signed, kept on the document record
    signed_at: datetime | None
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature is correct
    trusted: bool
    covers_whole_file: bool  # nothing was appended after signing
    bottom_line: bool  # pyHanko's overall verdict (a tampered file keeps valid=True, intact=False)


# An order of this system carries one signature; a few allow for countersigned copies. Each
# signature costs a full hash and a certificate path check, so a file with more is refused
# (the review's file had 2,000 fields pointing at one signature: 110 s of CPU).
VERIFY_MAX_SIGNATURES = 3
# CPU seconds one verification may spend on its signatures before it stops with a message.
VERIFY_CPU_SECONDS = 10.0
UNREADABLE = "Файл не читается как PDF или его подпись повреждена. Загрузите исходный файл документа."


class TooManySignatures(ValueError):
    """The file has more signatures than VERIFY_MAX_SIGNATURES: none is checked."""


def _limit(name: str):
    return getattr(settings, name, globals()[name])


def _message_digest(embedded) -> str:
    """The signed message digest, or «» when the signer info has no signed attributes."""
    # pyHanko is heavy (≈1.4 s to import here): loaded by the signing and verifying calls only.
    from pyhanko.sign.general import find_unique_cms_attribute

    try:
        return find_unique_cms_attribute(embedded.signer_info["signed_attrs"], "message_digest").native.hex()
    except Exception:  # no signed attributes, or no message digest among them: nothing to match
        return ""


def _serial(embedded) -> str:
    try:
        return serial_hex(embedded.signer_cert.serial_number)
    except Exception:  # no certificate of the signer in the CMS
        return ""


def _embedded(data: bytes) -> list:
    """The PDF's signatures, after counting its signature fields (cheaply, stopping past the
    limit): more than VERIFY_MAX_SIGNATURES raises TooManySignatures, an unreadable file ValueError."""
    # pyHanko is heavy (≈1.4 s to import here): loaded by the signing and verifying calls only.
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    limit = int(_limit("VERIFY_MAX_SIGNATURES"))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fields = sum(1 for _ in itertools.islice(enumerate_sig_fields(reader, filled_status=True), limit + 1))
    except Exception as exc:  # pyHanko raises several kinds on a broken file
        raise ValueError(UNREADABLE) from exc
    if fields > limit:
        raise TooManySignatures(
            f"В файле больше {limit} подписей: такой документ здесь не проверяется. Документы этой "
            "системы подписаны одной подписью; загрузите исходный файл приказа."
        )
    try:
        return list(reader.embedded_signatures)
    except Exception as exc:
        raise ValueError(UNREADABLE) from exc


def signer_serials(data: bytes) -> list[str]:
    """The serial numbers of the certificates that signed the PDF (ValueError: not a PDF)."""
    return [serial for sig in _embedded(data) if (serial := _serial(sig))]


def check_signatures(data: bytes, *, trust: list[bytes]) -> list[SignatureCheck]:
    """Every signature of the PDF, validated against the certificates in `trust` (DER) and no
    others: a self-signed demo certificate is trusted only because this system signed with it.
    Raises ValueError when the file is not a PDF pyHanko can read."""
    return _blocking(_check_signatures, data, trust)


def _check_signatures(data: bytes, trust: list[bytes]) -> list[SignatureCheck]:
    # pyHanko is heavy (≈1.4 s to import here): loaded by the signing and verifying calls only.
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    embedded = _embedded(data)
    roots = [asn1_x509.Certificate.load(der) for der in trust]
    checks = []
    started, budget = time.thread_time(), float(_limit("VERIFY_CPU_SECONDS"))
    for sig in embedded:
        if time.thread_time() - started > budget:
            raise ValueError("Проверка подписей файла заняла слишком много времени: документ не проверен.")
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, context)
            intact, valid, trusted = status.intact, status.valid, status.trusted
            bottom_line = status.bottom_line
            whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        except Exception:  # a signature pyHanko cannot even evaluate is not a valid one
            intact = valid = trusted = bottom_line = whole = False
        checks.append(
            SignatureCheck(
                serial=_serial(sig),
                owner=_owner(sig),
                message_digest=_message_digest(sig),
                signed_at=_signed_at(sig),
                intact=intact,
                valid=valid,
                trusted=trusted,
                covers_whole_file=whole,
                bottom_line=bottom_line,
            )
        )
    return checks


def _owner(embedded) -> str:
    try:
        return str(embedded.signer_cert.subject.native.get("common_name", ""))
    except Exception:
        return ""


def _signed_at(embedded):
    try:
        return embedded.self_reported_timestamp
    except Exception:  # a signing time attribute that is no time
        return None
