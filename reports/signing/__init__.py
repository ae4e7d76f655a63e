"""Signing behind one small interface, whichever of the four ways an order is signed (DESIGN §5).

A `Signer` knows its certificate (printed into the document as the e-signature mark before the
signature exists) and signs finished PDF bytes. `signer_for(authority)` picks the provider named in
`settings.ORDER_SIGNING_BACKEND` (default: PAdES with pyHanko and a PKCS#12 file): the
organisation's key on the server.

The other ways sign outside this server: the head's qualified signature in the browser (CryptoPro
ЭЦП Browser plug-in), a detached `.sig` made in КриптоАРМ or a СЭД, or a handwritten signature on
paper. Their signer is `external = True`: `sign()` returns the PDF as rendered (the bytes the head
will sign), and the signature (or the scan) comes back later, verified by `reports.signing.cades`.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from schools.choices import SigningMethod
from vprplan.errors import DomainError


class SigningUnavailable(DomainError):
    """No certificate is configured for the authority, or it cannot be opened."""


@dataclass(frozen=True)
class CertificateInfo:
    """What the e-signature mark prints and the document record keeps."""

    serial: str  # hexadecimal, upper case, its bytes as issued (leading zeros kept): serial_hex()
    owner: str  # the subject's full name (surname and given names, else the common name)
    organization: str
    valid_from: datetime
    valid_to: datetime
    issuer: str
    der: bytes  # the certificate itself: the trust anchor when the document is verified


@runtime_checkable
class Signer(Protocol):
    """A signature provider. `sign()` returns the signed PDF: the input plus one signature; an
    external signer (`external = True`) returns it unchanged, to be signed elsewhere."""

    name: str
    method: str  # schools.choices.SigningMethod
    external: bool

    def certificate(self) -> CertificateInfo | None: ...

    def sign(self, pdf: bytes, *, reason: str, location: str, contact: str = "") -> bytes: ...


class ExternalSigner:
    """The head signs outside this server: with his qualified certificate (in the browser or in
    КриптоАРМ / a СЭД; `certificate` is the one he chose, printed in the mark) or by hand on paper
    (no certificate: the document prints the place of the handwritten signature)."""

    external = True

    def __init__(self, *, method: str, certificate: CertificateInfo | None = None):
        self.method = method
        self._certificate = certificate
        self.name = {
            SigningMethod.BROWSER: "CAdES-BES, КриптоПро ЭЦП Browser plug-in",
            SigningMethod.DETACHED: "CAdES-BES, файл подписи .sig",
            SigningMethod.PAPER: "собственноручная подпись на бумаге",
        }[method]

    def certificate(self) -> CertificateInfo | None:
        return self._certificate

    def sign(self, pdf: bytes, *, reason: str, location: str, contact: str = "") -> bytes:
        return pdf


def serial_hex(number: int) -> str:
    """A certificate's serial as issued and as certificate viewers show it: the bytes of its DER
    INTEGER in upper-case hex, leading zeros kept («09513ED…», never «9513ED…»)."""
    return number.to_bytes(number.bit_length() // 8 + 1, "big", signed=False).hex().upper()


def serial_variants(serial: str) -> list[str]:
    """The serial as this system writes it now and as it wrote it before (no leading zeros)."""
    return list(dict.fromkeys([serial, serial.lstrip("0") or "0"]))


def signer_for(authority, *, method: str = "server", certificate: CertificateInfo | None = None) -> Signer:
    """The signer of this education authority for the way chosen: the organisation's key
    (`settings.ORDER_SIGNING_BACKEND`, called with the authority), or an external signer."""
    if method != "server":
        return ExternalSigner(method=method, certificate=certificate)
    factory = import_string(settings.ORDER_SIGNING_BACKEND)
    return factory(authority)
