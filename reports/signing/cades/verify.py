"""Verification of detached CAdES-BES signatures (the `.sig` of КриптоАРМ, a СЭД or the CryptoPro
ЭЦП Browser plug-in) over a file: ГОСТ Р 34.10-2012 (256/512) and, for completeness, RSA and ECDSA.

Checked for each signer: the signed message digest equals the file's (Streebog or SHA-2), the
signature over the signed attributes is made with the key of the certificate it names (and the
signing-certificate-v2 attribute, when present, names that certificate), the certificate and its
issuers were valid at the signing time the signature states, and the path ends at a root the
administrator loaded (`certs.trust_store`). Each failure has its own Russian message.

The work is bounded before anything is verified: the file's size (SIGNATURE_MAX_BYTES), the number
of signers (VERIFY_MAX_SIGNATURES) and certificates (SIGNATURE_MAX_CERTIFICATES), the path length,
and the CPU time (VERIFY_CPU_SECONDS; pure-Python GOST costs 0.1–0.3 s a signature here).
"""

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asn1crypto import cms, core, x509  # tsp: registers signing-certificate-v2 with cms
from django.conf import settings

from reports.signing import CertificateInfo
from reports.signing.cades import certs, gost

SIGNATURE_MAX_BYTES = 1024 * 1024
SIGNATURE_MAX_CERTIFICATES = 10
VERIFY_MAX_SIGNATURES = 3
VERIFY_CPU_SECONDS = 10.0
MAX_PATH = 6

UNREADABLE = "Файл подписи не читается: ожидается откреплённая подпись CAdES (.sig, .p7s) в кодировке DER или Base64."
HASHES = {
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}


class Problem:
    """What went wrong, one code each (the tests and the figures count them)."""

    TAMPERED = "tampered"
    WRONG_CERTIFICATE = "wrong_certificate"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNTRUSTED = "untrusted"
    NO_ROOTS = "no_roots"
    NO_CERTIFICATE = "no_certificate"
    NOT_CADES = "not_cades"
    UNSUPPORTED = "unsupported"


class SignatureFileError(ValueError):
    """The .sig is unreadable or over a bound: nothing was verified (Russian message)."""


@dataclass(frozen=True)
class SignerCheck:
    """One signer of a detached signature as this module judged it."""

    certificate: CertificateInfo | None
    key: str  # «ГОСТ Р 34.10-2012, 256 бит», «RSA», …
    signed_at: datetime | None  # as the signature states it (signingTime)
    code: str = ""  # a Problem, or "" when the signature is valid and trusted
    problem: str = ""  # Russian

    @property
    def valid(self) -> bool:
        return not self.code


@dataclass
class CadesResult:
    signers: list[SignerCheck] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.signers) and all(s.valid for s in self.signers)

    @property
    def problem(self) -> str:
        return next((s.problem for s in self.signers if s.problem), "")

    @property
    def code(self) -> str:
        return next((s.code for s in self.signers if s.code), "")


def _limit(name: str):
    return getattr(settings, name, globals()[name])


def parse(signature: bytes) -> cms.SignedData:
    """The SignedData of a .sig (DER, or Base64 with or without PEM lines), bounded."""
    if len(signature) > int(_limit("SIGNATURE_MAX_BYTES")):
        raise SignatureFileError(
            f"Файл подписи больше {int(_limit('SIGNATURE_MAX_BYTES')) // 1024} КБ: откреплённая подпись "
            "документа так велика не бывает."
        )
    try:
        der = certs.der_from_file_bytes(signature)
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            raise SignatureFileError(UNREADABLE)
        signed = info["content"]
        count_signers = len(signed["signer_infos"])
        count_certs = len(_certificates(signed))
    except SignatureFileError:
        raise
    except Exception as exc:  # asn1crypto raises several kinds on a broken file
        raise SignatureFileError(UNREADABLE) from exc
    if count_signers == 0:
        raise SignatureFileError("В файле подписи нет ни одной подписи.")
    if count_signers > int(_limit("VERIFY_MAX_SIGNATURES")):
        raise SignatureFileError(
            f"В файле подписи больше {int(_limit('VERIFY_MAX_SIGNATURES'))} подписей: такой файл здесь не проверяется."
        )
    if count_certs > int(_limit("SIGNATURE_MAX_CERTIFICATES")):
        raise SignatureFileError(
            f"В файле подписи больше {int(_limit('SIGNATURE_MAX_CERTIFICATES'))} сертификатов: такой файл здесь не проверяется."
        )
    return signed


def _certificates(signed: cms.SignedData) -> list:
    field_ = signed["certificates"]
    return [] if isinstance(field_, core.Void) else list(field_)


def _content_digest(data: bytes, algorithm: str) -> bytes | None:
    if algorithm in gost.DIGESTS:
        return gost.digest(data, algorithm)
    if algorithm in HASHES:
        return hashlib.new(HASHES[algorithm], data).digest()
    return None


def _attribute(signed_attrs, name: str):
    for attribute in signed_attrs:
        if attribute["type"].native == name:
            values = attribute["values"]
            return values[0] if len(values) == 1 else None
    return None


def _signer_certificate(signer_info, certificates: list[x509.Certificate]) -> x509.Certificate | None:
    sid = signer_info["sid"]
    for certificate in certificates:
        if sid.name == "issuer_and_serial_number":
            chosen = sid.chosen
            if certificate.issuer == chosen["issuer"] and certificate.serial_number == chosen["serial_number"].native:
                return certificate
        elif certificate.key_identifier == sid.chosen.native:
            return certificate
    return None


def _date(value: datetime) -> str:
    return f"{value.astimezone():%d.%m.%Y}"


def _validity_problem(certificate: x509.Certificate, moment: datetime, whose: str) -> tuple[str, str]:
    if moment > certificate.not_valid_after:
        return Problem.EXPIRED, (
            f"Срок действия {whose} истёк {_date(certificate.not_valid_after)}, до подписания "
            f"({_date(moment)}): подпись недействительна."
        )
    if moment < certificate.not_valid_before:
        return Problem.NOT_YET_VALID, (
            f"Срок действия {whose} начинался только {_date(certificate.not_valid_before)}, позже "
            f"подписания ({_date(moment)}): подпись недействительна."
        )
    return "", ""


def path_problem(
    certificate: x509.Certificate, pool: list[x509.Certificate], store: certs.TrustStore, moment: datetime, clock
) -> tuple[str, str]:
    """Walk from the signer's certificate to a loaded root, checking each issuer's signature and
    validity at the signing moment."""
    if store.empty:
        return Problem.NO_ROOTS, (
            "Корневые сертификаты удостоверяющих центров не загружены администратором системы: "
            "подпись не с чем сверить (настройка SIGNING_TRUSTED_ROOTS_DIR)."
        )
    roots = {root.dump() for root in store.roots}
    candidates = list(pool) + list(store.intermediates) + list(store.roots)
    current = certificate
    for _ in range(MAX_PATH):
        clock()
        if current.dump() in roots:
            return "", ""
        issuer = next(
            (c for c in candidates if c.subject == current.issuer and c.dump() != current.dump() and certs.issued_by(current, c)),
            None,
        )
        if issuer is None:
            break
        code, problem = _validity_problem(issuer, moment, "сертификата удостоверяющего центра")
        if code:
            return code, problem
        current = issuer
    return Problem.UNTRUSTED, (
        "Сертификат подписанта выдан удостоверяющим центром, которому эта система не доверяет: "
        "его корневой сертификат не загружен администратором."
    )


def verify_detached(
    content: bytes, signature: bytes, *, store: certs.TrustStore | None = None, now: datetime | None = None
) -> CadesResult:
    """Every signer of the detached `signature` over `content`. Raises SignatureFileError when the
    .sig is unreadable or over a bound."""
    signed = parse(signature)
    store = store if store is not None else certs.trust_store()
    now = now or datetime.now(UTC)
    started, budget = time.thread_time(), float(_limit("VERIFY_CPU_SECONDS"))

    def clock() -> None:
        if time.thread_time() - started > budget:
            raise SignatureFileError("Проверка подписи заняла слишком много времени: документ не проверен.")

    try:
        encapsulated = signed["encap_content_info"]["content"]
        if not isinstance(encapsulated, core.Void) and encapsulated.native != content:
            raise SignatureFileError("Подпись содержит внутри себя другой документ, а не этот файл.")
        pool = [c.chosen for c in _certificates(signed) if c.name == "certificate"]
        signer_infos = list(signed["signer_infos"])
    except SignatureFileError:
        raise
    except Exception as exc:
        raise SignatureFileError(UNREADABLE) from exc
    result = CadesResult()
    for signer_info in signer_infos:
        clock()
        try:
            result.signers.append(_check_signer(signer_info, content, pool, store, now, clock))
        except SignatureFileError:
            raise
        except Exception as exc:  # a structure asn1crypto reads only half way
            raise SignatureFileError(UNREADABLE) from exc
    return result


def _check_signer(signer_info, content: bytes, pool, store, now, clock) -> SignerCheck:
    certificate = _signer_certificate(signer_info, pool)
    if certificate is None:
        return SignerCheck(None, "", None, Problem.NO_CERTIFICATE, "В файле подписи нет сертификата подписанта.")
    described = certs.info(certificate)
    key = certs.key_description(certificate)
    signed_attrs = signer_info["signed_attrs"]
    if not len(signed_attrs):
        return SignerCheck(described, key, None, Problem.NOT_CADES, "Подпись без подписанных атрибутов: это не CAdES-BES.")
    signing_time = _attribute(signed_attrs, "signing_time")
    signed_at = signing_time.native if signing_time is not None else None
    check = lambda code, problem: SignerCheck(described, key, signed_at, code, problem)  # noqa: E731

    digest_algorithm = signer_info["digest_algorithm"]["algorithm"].dotted
    expected = _content_digest(content, digest_algorithm)
    if expected is None:
        return check(Problem.UNSUPPORTED, f"Алгоритм хеширования {digest_algorithm} не поддерживается.")
    message_digest = _attribute(signed_attrs, "message_digest")
    if message_digest is None or message_digest.native != expected:
        return check(
            Problem.TAMPERED,
            "Подпись не соответствует файлу: файл изменён после подписания (или подпись сделана к другому файлу).",
        )
    clock()
    to_verify = b"\x31" + signed_attrs.dump()[1:]  # signed as a SET OF, not as the [0] it is stored
    if not certs.verify_signature(
        certificate,
        algorithm=signer_info["signature_algorithm"]["algorithm"].dotted,
        hash_algorithm=digest_algorithm,
        data=to_verify,
        signature=signer_info["signature"].native,
    ):
        return check(
            Problem.WRONG_CERTIFICATE,
            "Подпись сделана не ключом того сертификата, который в ней указан: сертификат подменён "
            "или подпись повреждена.",
        )
    if not _names_certificate(signed_attrs, certificate):
        return check(
            Problem.WRONG_CERTIFICATE,
            "Подписанный атрибут signing-certificate указывает на другой сертификат, чем приложенный к подписи.",
        )
    moment = signed_at or now
    code, problem = _validity_problem(certificate, moment, "сертификата подписанта")
    if code:
        return check(code, problem)
    code, problem = path_problem(certificate, pool, store, moment, clock)
    return check(code, problem)


def _names_certificate(signed_attrs, certificate: x509.Certificate) -> bool:
    """The ESS signing-certificate-v2 attribute (CAdES-BES), when present, hashes this certificate."""
    attribute = _attribute(signed_attrs, "signing_certificate_v2")
    if attribute is None:
        return True
    ids = attribute["certs"]
    if not len(ids):
        return True
    first = ids[0]
    algorithm = first["hash_algorithm"]["algorithm"].dotted
    expected = _content_digest(certificate.dump(), algorithm)
    return expected is not None and first["cert_hash"].native == expected
