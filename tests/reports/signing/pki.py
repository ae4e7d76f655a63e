"""A test certificate authority for ГОСТ Р 34.10-2012: key pairs, X.509 certificates built with
asn1crypto and signed with gostcrypto, and detached CAdES-BES signatures as КриптоАРМ or the
CryptoPro plug-in make them (signed attributes: content type, signing time, message digest,
signing-certificate-v2; the key's algorithm named as the signature algorithm, as CryptoPro does).
Nothing here ships with the application."""

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms, core, keys, tsp, x509  # noqa: F401 (tsp: signing-certificate-v2)

from reports.signing.cades import gost
from reports.signing.cades.certs import _KeyInfo

CURVE_256 = "1.2.643.7.1.2.1.1.1"  # id-tc26-gost-3410-12-256-paramSetA
CURVE_512 = "1.2.643.7.1.2.1.2.1"  # id-tc26-gost-3410-12-512-paramSetA
Q_256 = 0x400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67
Q_512 = 0x3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED


class _Parameters(core.Sequence):
    _fields = [("curve", core.ObjectIdentifier), ("digest", core.ObjectIdentifier, {"optional": True})]


@dataclass(frozen=True)
class GostKey:
    private: bytes
    bits: int
    curve: str

    @property
    def public(self) -> bytes:
        return gost.public_point(self.private, bits=self.bits, curve_oid=self.curve)

    def sign(self, data: bytes) -> bytes:
        return gost.sign(self.private, bits=self.bits, curve_oid=self.curve, data=data)

    @property
    def key_oid(self) -> str:
        return gost.GOST_256 if self.bits == 256 else gost.GOST_512

    @property
    def digest_oid(self) -> str:
        return gost.STREEBOG_256 if self.bits == 256 else gost.STREEBOG_512

    @property
    def sign_oid(self) -> str:
        return gost.SIGN_256 if self.bits == 256 else gost.SIGN_512


def gost_key(bits: int = 256) -> GostKey:
    q = Q_256 if bits == 256 else Q_512
    value = int.from_bytes(os.urandom(bits // 8 + 8), "big") % (q - 1) + 1
    return GostKey(value.to_bytes(bits // 8, "big"), bits, CURVE_256 if bits == 256 else CURVE_512)


def _time(value: dt.datetime) -> x509.Time:
    return x509.Time({"utc_time" if 1950 <= value.year < 2050 else "general_time": value})


def certificate(
    *,
    key: GostKey,
    subject: dict,
    issuer_key: GostKey | None = None,
    issuer: x509.Certificate | None = None,
    not_before: dt.datetime,
    not_after: dt.datetime,
    serial: int | None = None,
    ca: bool = False,
) -> x509.Certificate:
    """A certificate of `key` for `subject` (asn1crypto Name keys), issued by `issuer` with
    `issuer_key`, or self-signed (a root) when no issuer is given."""
    name = x509.Name.build(subject)
    signer_key = issuer_key or key
    key_info = keys.PublicKeyInfo.load(
        _KeyInfo(
            {
                "algorithm": {"algorithm": key.key_oid, "parameters": _Parameters({"curve": key.curve, "digest": key.digest_oid})},
                "public_key": core.OctetString(key.public).dump(),
            }
        ).dump()
    )
    usage = {"key_cert_sign", "crl_sign"} if ca else {"digital_signature", "non_repudiation"}
    extensions = [
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": ca}},
        {"extn_id": "key_usage", "critical": True, "extn_value": usage},
        {"extn_id": "key_identifier", "critical": False, "extn_value": gost.digest(key.public, gost.STREEBOG_256)[:20]},
    ]
    signature_oid = signer_key.sign_oid
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial or int.from_bytes(os.urandom(16), "big"),
            "signature": {"algorithm": signature_oid},
            "issuer": issuer.subject if issuer is not None else name,
            "validity": {"not_before": _time(not_before), "not_after": _time(not_after)},
            "subject": name,
            "subject_public_key_info": key_info,
            "extensions": extensions,
        }
    )
    return x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": {"algorithm": signature_oid},
            "signature_value": signer_key.sign(tbs.dump()),
        }
    )


def sign_detached(
    content: bytes,
    *,
    key: GostKey,
    certificate: x509.Certificate,
    signing_time: dt.datetime | None = None,
    extra_certificates: tuple = (),
    signature_algorithm: str | None = None,
    copies: int = 1,
) -> bytes:
    """A detached CAdES-BES signature (DER) of `content` with `key`, naming `certificate`."""
    signing_time = signing_time or dt.datetime.now(dt.UTC)
    signed_attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "signing_time", "values": [cms.Time({"utc_time": signing_time})]},
            {"type": "message_digest", "values": [gost.digest(content, key.digest_oid)]},
            {
                "type": "signing_certificate_v2",
                "values": [
                    {"certs": [{"hash_algorithm": {"algorithm": key.digest_oid}, "cert_hash": gost.digest(certificate.dump(), key.digest_oid)}]}
                ],
            },
        ]
    )
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {"issuer_and_serial_number": {"issuer": certificate.issuer, "serial_number": certificate.serial_number}}
            ),
            "digest_algorithm": {"algorithm": key.digest_oid},
            "signed_attrs": signed_attrs,
            "signature_algorithm": {"algorithm": signature_algorithm or key.key_oid},
            "signature": key.sign(signed_attrs.dump()),
        }
    )
    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": key.digest_oid}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [certificate, *extra_certificates],
            "signer_infos": [signer_info] * copies,  # copies > 1: a file with many signers
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


@dataclass
class Pki:
    """A root (Минцифры's stand-in), a head's certificate issued by it, and their keys."""

    root_key: GostKey
    root: x509.Certificate
    head_key: GostKey
    head: x509.Certificate

    def write_roots(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "root.cer").write_bytes(self.root.dump())
        return directory

    def sign(self, content: bytes, **kwargs) -> bytes:
        return sign_detached(content, key=self.head_key, certificate=self.head, **kwargs)


NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
HEAD = {
    "surname": "Круглова",
    "given_name": "Эвелина Олеговна",
    "common_name": "Отдел образования администрации МО «Инта»",
    "organization_name": "Отдел образования администрации МО «Инта»",
    "country_name": "RU",
}


def make_pki(bits: int = 256, *, head: dict | None = None, years: int = 1) -> Pki:
    root_key, head_key = gost_key(bits), gost_key(bits)
    root = certificate(
        key=root_key,
        subject={"common_name": "Тестовый головной удостоверяющий центр", "country_name": "RU"},
        not_before=NOW - dt.timedelta(days=365),
        not_after=NOW + dt.timedelta(days=3650),
        ca=True,
    )
    head_certificate = certificate(
        key=head_key,
        subject=head or HEAD,
        issuer=root,
        issuer_key=root_key,
        not_before=NOW - dt.timedelta(days=30),
        not_after=NOW + dt.timedelta(days=365 * years),
    )
    return Pki(root_key, root, head_key, head_certificate)
