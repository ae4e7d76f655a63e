"""Self-signed demo certificates (PKCS#12) for the demo data and the tests. Never for production:
the private key is written next to the certificate, under SIGNING_PKCS12_DIR (./keys, on the local
disk: never in MEDIA_ROOT or the bucket), and never committed."""

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _fit(text: str, limit: int = 64) -> str:
    """X.509 caps a common name at 64 bytes of UTF-8 (32 Cyrillic letters)."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text.strip()


def make_pkcs12(
    *,
    owner: str,
    organization: str = "",
    password: bytes | None = None,
    valid_from: dt.date = dt.date(2024, 1, 1),
    years: int = 5,
) -> bytes:
    """A self-signed signing certificate of `owner` with its key, as PKCS#12 bytes."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, _fit(owner))]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]))
    parts.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"))
    name = x509.Name(parts)
    # Whole days in Russian time zones: from the morning of the first day to the evening of the last.
    start = dt.datetime.combine(valid_from, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(valid_from.replace(year=valid_from.year + years), dt.time(12), tzinfo=dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end - dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(b"vprplan-demo", key, certificate, None, encryption)


def ensure_pkcs12(path: Path, *, owner: str, organization: str = "", password: bytes | None = None) -> Path:
    """The demo certificate at `path`, made on the first call and reused afterwards."""
    path = Path(path)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make_pkcs12(owner=owner, organization=organization, password=password))
        path.chmod(0o600)
    return path
