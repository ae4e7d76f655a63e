"""Signing behind one small interface, so that a CryptoPro-class provider of qualified GOST
signatures can be plugged in later without touching the order workflow.

A `Signer` knows its certificate (printed into the document as the e-signature mark before the
signature exists) and signs finished PDF bytes. `signer_for(authority)` picks the provider named in
`settings.ORDER_SIGNING_BACKEND` (default: PAdES with pyHanko and a PKCS#12 file).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

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
    """A signature provider. `sign()` returns the signed PDF: the input plus one signature."""

    name: str

    def certificate(self) -> CertificateInfo: ...

    def sign(self, pdf: bytes, *, reason: str, location: str, contact: str = "") -> bytes: ...


def serial_hex(number: int) -> str:
    """A certificate's serial as issued and as certificate viewers show it: the bytes of its DER
    INTEGER in upper-case hex, leading zeros kept («09513ED…», never «9513ED…»)."""
    return number.to_bytes(number.bit_length() // 8 + 1, "big", signed=False).hex().upper()


def serial_variants(serial: str) -> list[str]:
    """The serial as this system writes it now and as it wrote it before (no leading zeros)."""
    return list(dict.fromkeys([serial, serial.lstrip("0") or "0"]))


def signer_for(authority) -> Signer:
    """The signer of this education authority (`settings.ORDER_SIGNING_BACKEND`, called with it)."""
    factory = import_string(settings.ORDER_SIGNING_BACKEND)
    return factory(authority)
