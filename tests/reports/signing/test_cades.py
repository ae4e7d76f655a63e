"""Detached CAdES-BES signatures verified on the server: ГОСТ Р 34.10-2012 (256 and 512 bits) made
with the tests' own certificate authority, RSA and ECDSA made with cryptography; each way a
signature fails has its own Russian message; the .sig is bounded before anything is verified."""

import base64
import datetime as dt

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from reports.signing.cades import certs, verify
from reports.signing.cades.verify import Problem, SignatureFileError, verify_detached
from tests.reports.signing.pki import NOW, certificate, gost_key, make_pki, sign_detached

PDF = b"%PDF-1.7\n% the order as rendered\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def test_gost_256_and_512_signatures_verify_to_the_loaded_root(pki, pki_512, trusted_roots, record_property):
    verified = 0
    for authority, bits in ((pki, 256), (pki_512, 512)):
        result = verify_detached(PDF, authority.sign(PDF))
        assert result.valid, result.problem
        (signer,) = result.signers
        assert signer.key == f"ГОСТ Р 34.10-2012, {bits} бит"
        assert signer.certificate.owner == "Круглова Эвелина Олеговна"
        assert signer.certificate.serial == certs.info(authority.head).serial
        assert abs(signer.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
        verified += 1
    # The same signature in Base64, as КриптоАРМ saves it when asked to.
    assert verify_detached(PDF, base64.encodebytes(pki.sign(PDF))).valid
    record_property("gost_signatures_verified", verified + 1)


def test_a_one_byte_change_is_refused_as_altered(pki, trusted_roots, record_property):
    signature = pki.sign(PDF)
    changed = bytearray(PDF)
    changed[100] ^= 0x01
    result = verify_detached(bytes(changed), signature)
    assert not result.valid and result.code == Problem.TAMPERED
    assert result.problem == (
        "Подпись не соответствует файлу: файл изменён после подписания (или подпись сделана к другому файлу)."
    )
    # A byte of the signature itself changed: no longer the certificate's signature.
    broken = bytearray(signature)
    broken[-5] ^= 0x01
    assert verify_detached(PDF, bytes(broken)).code == Problem.WRONG_CERTIFICATE
    record_property("gost_tampered_refused", 2)


def test_a_signature_naming_another_certificate_is_refused(pki, trusted_roots, record_property):
    # Signed with the head's key, but the certificate put in is another person's (same root).
    other_key = gost_key(256)
    other = certificate(
        key=other_key,
        subject={"surname": "Посторонний", "given_name": "Пётр Петрович", "common_name": "Посторонний П.П."},
        issuer=pki.root,
        issuer_key=pki.root_key,
        not_before=NOW - dt.timedelta(days=1),
        not_after=NOW + dt.timedelta(days=100),
    )
    result = verify_detached(PDF, sign_detached(PDF, key=pki.head_key, certificate=other))
    assert result.code == Problem.WRONG_CERTIFICATE
    assert result.problem.startswith("Подпись сделана не ключом того сертификата, который в ней указан")
    record_property("gost_wrong_certificate_refused", 1)


def test_a_certificate_expired_before_signing_is_refused(pki, trusted_roots, record_property):
    key = gost_key(256)
    expired = certificate(
        key=key,
        subject={"surname": "Круглова", "given_name": "Эвелина Олеговна", "common_name": "Круглова Э.О."},
        issuer=pki.root,
        issuer_key=pki.root_key,
        not_before=NOW - dt.timedelta(days=400),
        not_after=NOW - dt.timedelta(days=35),
    )
    result = verify_detached(PDF, sign_detached(PDF, key=key, certificate=expired))
    assert result.code == Problem.EXPIRED
    assert result.problem.startswith("Срок действия сертификата подписанта истёк ")
    assert "до подписания" in result.problem
    # Signed while it was valid (the signing time says so): the certificate was valid then.
    then = sign_detached(PDF, key=key, certificate=expired, signing_time=NOW - dt.timedelta(days=40))
    assert verify_detached(PDF, then).valid
    record_property("gost_expired_refused", 1)


def test_a_certificate_of_an_unknown_root_is_refused(trusted_roots, record_property):
    stranger = make_pki(256)  # its root was never loaded
    result = verify_detached(PDF, stranger.sign(PDF))
    assert result.code == Problem.UNTRUSTED
    assert result.problem == (
        "Сертификат подписанта выдан удостоверяющим центром, которому эта система не доверяет: "
        "его корневой сертификат не загружен администратором."
    )
    record_property("gost_unknown_root_refused", 1)


def test_without_loaded_roots_nothing_is_trusted_and_the_message_says_so(pki, settings, tmp_path):
    settings.SIGNING_TRUSTED_ROOTS_DIR = str(tmp_path / "empty")
    result = verify_detached(PDF, pki.sign(PDF))
    assert result.code == Problem.NO_ROOTS and "не загружены администратором" in result.problem


def test_an_intermediate_ca_loaded_beside_the_root_completes_the_path(settings, tmp_path):
    root_key, ca_key, head_key = gost_key(256), gost_key(256), gost_key(256)
    root = certificate(key=root_key, subject={"common_name": "Минцифры (тест)"}, ca=True,
                       not_before=NOW - dt.timedelta(days=10), not_after=NOW + dt.timedelta(days=900))  # fmt: skip
    ca = certificate(key=ca_key, subject={"common_name": "УЦ ФНС (тест)"}, issuer=root, issuer_key=root_key, ca=True,
                     not_before=NOW - dt.timedelta(days=10), not_after=NOW + dt.timedelta(days=800))  # fmt: skip
    head = certificate(key=head_key, subject={"common_name": "Круглова Э.О."}, issuer=ca, issuer_key=ca_key,
                       not_before=NOW - dt.timedelta(days=1), not_after=NOW + dt.timedelta(days=300))  # fmt: skip
    directory = tmp_path / "roots"
    directory.mkdir()
    (directory / "root.cer").write_bytes(root.dump())
    settings.SIGNING_TRUSTED_ROOTS_DIR = str(directory)
    assert verify_detached(PDF, sign_detached(PDF, key=head_key, certificate=head)).code == Problem.UNTRUSTED
    (directory / "ca.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(ca.dump()) + b"-----END CERTIFICATE-----\n"
    )
    assert verify_detached(PDF, sign_detached(PDF, key=head_key, certificate=head)).valid
    # Or the signer put the intermediate into the signature, as CryptoPro does with the whole chain.
    (directory / "ca.pem").unlink()
    assert verify_detached(PDF, sign_detached(PDF, key=head_key, certificate=head, extra_certificates=(ca,))).valid


def _standard(key, tmp_path, settings):
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Руководитель (RSA/ECDSA)")])
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path / "roots"
    directory.mkdir(exist_ok=True)
    (directory / f"{cert.serial_number}.cer").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    settings.SIGNING_TRUSTED_ROOTS_DIR = str(directory)
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(PDF)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
    )


@pytest.mark.parametrize("kind", ["RSA", "ECDSA"])
def test_rsa_and_ecdsa_cades_verify_too(kind, tmp_path, settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "RSA" else ec.generate_private_key(ec.SECP256R1())
    signature = _standard(key, tmp_path, settings)
    result = verify_detached(PDF, signature)
    assert result.valid, result.problem
    assert result.signers[0].key == kind
    assert verify_detached(PDF + b" ", signature).code == Problem.TAMPERED


def test_a_signature_file_is_bounded_before_it_is_read(pki, trusted_roots, settings):
    settings.SIGNATURE_MAX_BYTES = 2048
    with pytest.raises(SignatureFileError, match="Файл подписи больше 2 КБ"):
        verify_detached(PDF, b"0" * 4096)
    settings.SIGNATURE_MAX_BYTES = 1024 * 1024
    with pytest.raises(SignatureFileError, match="не читается"):
        verify_detached(PDF, b"not a signature at all")
    with pytest.raises(SignatureFileError, match="не читается"):
        verify_detached(PDF, pki.sign(PDF)[:300])
    settings.SIGNATURE_MAX_CERTIFICATES = 2
    with pytest.raises(SignatureFileError, match="больше 2 сертификатов"):
        verify_detached(PDF, pki.sign(PDF, extra_certificates=(pki.root, pki.root)))


def test_more_signers_than_allowed_are_refused_before_any_is_checked(pki, trusted_roots, settings):
    many = pki.sign(PDF, copies=4)
    settings.VERIFY_MAX_SIGNATURES = 3
    with pytest.raises(SignatureFileError, match="больше 3 подписей"):
        verify_detached(PDF, many)


def test_the_cpu_budget_stops_a_long_verification(pki, trusted_roots, settings):
    settings.VERIFY_CPU_SECONDS = 0.0
    with pytest.raises(SignatureFileError, match="слишком много времени"):
        verify.verify_detached(PDF, pki.sign(PDF))


def test_der_ending_in_whitespace_bytes_is_read_whole(pki, trusted_roots):
    """DER is binary: a signature or certificate whose last byte is 0x20 or 0x0A is not text to trim
    (one signature in ~40 ends so; stripping it once made such files unreadable)."""
    assert certs.der_from_file_bytes(b"\x30\x03\x02\x01\x20") == b"\x30\x03\x02\x01\x20"
    assert certs.der_from_file_bytes(b"\x30\x03\x04\x01\x0a") == b"\x30\x03\x04\x01\x0a"
    for _ in range(1000):  # until a signature ends in a whitespace byte (6 in 256 do: ~40 tries)
        signature = pki.sign(PDF)
        if signature[-1:].isspace():
            break
    else:
        pytest.fail("no signature ended in a whitespace byte in 1000 tries")
    assert verify_detached(PDF, signature).valid
