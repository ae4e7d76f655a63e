"""Certificates of signers: what the e-signature mark prints, their signatures (ГОСТ Р 34.10-2012
with gostcrypto, RSA and ECDSA with cryptography), and the path to the trusted roots the
administrator loads as files (`SIGNING_TRUSTED_ROOTS_DIR`: the Минцифры / ФНС roots and the
accredited УЦ's intermediates, .cer/.crt/.pem/.der; nothing is fetched from the network)."""

import base64
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import core, x509
from cryptography import x509 as cx509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings

from reports.signing import CertificateInfo, serial_hex
from reports.signing.cades import gost

MAX_ROOT_FILES = 200  # a directory of roots larger than that is a mistake, not a trust list
MAX_ROOT_BYTES = 64 * 1024


class CertificateError(ValueError):
    """A certificate that cannot be read; the message is Russian, for the user."""


class _Algorithm(core.Sequence):
    _fields = [("algorithm", core.ObjectIdentifier), ("parameters", core.Any, {"optional": True})]


class _KeyInfo(core.Sequence):
    """SubjectPublicKeyInfo read without asn1crypto's key catalogue (it knows no GOST keys)."""

    _fields = [("algorithm", _Algorithm), ("public_key", core.OctetBitString)]


PEM = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----(.*?)-----END [A-Z0-9 ]+-----", re.S)


def der_from_file_bytes(data: bytes) -> bytes:
    """DER from a .cer/.crt/.pem/.der or a base64 text (Windows exports either). DER is taken as
    it is: its last bytes may well be a space or a newline, which stripping would cut off."""
    if data[:1] == b"\x30":
        return data
    data = data.strip()
    found = PEM.search(data)
    body = found.group(1) if found else data
    try:
        return base64.b64decode(b"".join(body.split()), validate=True)
    except ValueError as exc:
        raise CertificateError("Файл не является сертификатом (ожидается .cer в кодировке DER или Base64).") from exc


def load(der: bytes) -> x509.Certificate:
    try:
        certificate = x509.Certificate.load(der)
        # Parse now, not later: a broken certificate fails here with the user's message.
        _ = certificate["tbs_certificate"]["serial_number"].native, certificate.not_valid_after
    except Exception as exc:
        raise CertificateError("Файл не является сертификатом (ожидается .cer в кодировке DER или Base64).") from exc
    return certificate


def _attribute(name: x509.Name, key: str) -> str:
    value = name.native.get(key, "") if name is not None else ""
    return str(value[0] if isinstance(value, list) else value).strip()


def owner(name: x509.Name) -> str:
    """Surname and given names (qualified certificates carry them as SN and G), else the CN."""
    surname, given = _attribute(name, "surname"), _attribute(name, "given_name")
    return f"{surname} {given}".strip() if surname and given else _attribute(name, "common_name")


def info(certificate: x509.Certificate) -> CertificateInfo:
    """What the e-signature mark prints of this certificate and the document record keeps."""
    return CertificateInfo(
        serial=serial_hex(certificate.serial_number),
        owner=owner(certificate.subject),
        organization=_attribute(certificate.subject, "organization_name"),
        valid_from=certificate.not_valid_before,
        valid_to=certificate.not_valid_after,
        issuer=_attribute(certificate.issuer, "common_name"),
        der=certificate.dump(),
    )


def key_description(certificate: x509.Certificate) -> str:
    """«ГОСТ Р 34.10-2012, 256 бит», «RSA», «ECDSA»: the kind of the signer's key."""
    algorithm = _key_info(certificate)["algorithm"]["algorithm"].dotted
    if algorithm in gost.KEY_ALGORITHMS:
        return f"ГОСТ Р 34.10-2012, {gost.KEY_ALGORITHMS[algorithm]} бит"
    return {"1.2.840.113549.1.1.1": "RSA", "1.2.840.10045.2.1": "ECDSA"}.get(algorithm, algorithm)


def _key_info(certificate: x509.Certificate) -> _KeyInfo:
    return _KeyInfo.load(certificate["tbs_certificate"]["subject_public_key_info"].dump())


def verify_signature(
    certificate: x509.Certificate, *, algorithm: str, hash_algorithm: str, data: bytes, signature: bytes
) -> bool:
    """Does the certificate's key verify `signature` over `data`? GOST through gostcrypto; RSA
    (PKCS#1 v1.5) and ECDSA through cryptography, with the hash the signer names."""
    key_info = _key_info(certificate)
    key_algorithm = key_info["algorithm"]["algorithm"].dotted
    if key_algorithm in gost.KEY_ALGORITHMS:
        try:
            key = gost.public_key(key_algorithm, key_info["algorithm"]["parameters"], key_info["public_key"].native)
            signature_algorithm = algorithm if algorithm in gost.SIGNATURES else key_algorithm
            return gost.verify(key, signature_algorithm=signature_algorithm, data=data, signature=signature)
        except gost.GostError:
            return False
    return _verify_standard(certificate, hash_algorithm=hash_algorithm, data=data, signature=signature)


HASHES = {
    "1.3.14.3.2.26": "SHA1",
    "2.16.840.1.101.3.4.2.1": "SHA256",
    "2.16.840.1.101.3.4.2.2": "SHA384",
    "2.16.840.1.101.3.4.2.3": "SHA512",
}


def _verify_standard(certificate: x509.Certificate, *, hash_algorithm: str, data: bytes, signature: bytes) -> bool:
    name = HASHES.get(hash_algorithm)
    if name is None:
        return False
    try:
        key = cx509.load_der_x509_certificate(certificate.dump()).public_key()
        chosen = getattr(hashes, name)()
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), chosen)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(chosen))
        else:
            return False
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _certificate_hash(certificate: x509.Certificate) -> str:
    """The hash a certificate's own signature uses (for RSA/ECDSA: from its algorithm's name)."""
    algorithm = certificate["signature_algorithm"]
    dotted = algorithm["algorithm"].dotted
    if dotted in gost.SIGNATURES:
        return gost.SIGNATURES[dotted][1]
    try:
        hash_name = algorithm.hash_algo
    except Exception:  # an algorithm asn1crypto cannot name
        return ""
    return {"sha1": "1.3.14.3.2.26", "sha256": "2.16.840.1.101.3.4.2.1", "sha384": "2.16.840.1.101.3.4.2.2",
            "sha512": "2.16.840.1.101.3.4.2.3"}.get(hash_name, "")  # fmt: skip


def issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Is `certificate` signed by `issuer`'s key (and names it as its issuer)?"""
    if certificate.issuer != issuer.subject:
        return False
    return verify_signature(
        issuer,
        algorithm=certificate["signature_algorithm"]["algorithm"].dotted,
        hash_algorithm=_certificate_hash(certificate),
        data=certificate["tbs_certificate"].dump(),
        signature=certificate["signature_value"].native,
    )


def is_self_signed(certificate: x509.Certificate) -> bool:
    return certificate.subject == certificate.issuer


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[x509.Certificate, ...]  # self-signed: the anchors
    intermediates: tuple[x509.Certificate, ...]  # issued by a root: the accredited УЦ's own

    @property
    def empty(self) -> bool:
        return not self.roots


def trust_store(directory: str | Path | None = None) -> TrustStore:
    """The certificates of `SIGNING_TRUSTED_ROOTS_DIR` (unreadable files are skipped)."""
    directory = Path(directory if directory is not None else settings.SIGNING_TRUSTED_ROOTS_DIR or "")
    roots, intermediates = [], []
    if str(directory) and directory.is_dir():
        files = sorted(p for p in directory.iterdir() if p.suffix.lower() in {".cer", ".crt", ".pem", ".der"})
        for path in files[:MAX_ROOT_FILES]:
            try:
                if path.stat().st_size > MAX_ROOT_BYTES:
                    continue
                certificate = load(der_from_file_bytes(path.read_bytes()))
            except (OSError, CertificateError):
                continue
            (roots if is_self_signed(certificate) else intermediates).append(certificate)
    return TrustStore(tuple(roots), tuple(intermediates))


def valid_at(certificate: x509.Certificate, moment: datetime) -> bool:
    return certificate.not_valid_before <= moment <= certificate.not_valid_after
