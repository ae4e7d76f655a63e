"""ГОСТ Р 34.10-2012 (256 and 512 bits) with Streebog (ГОСТ Р 34.11-2012), in pure Python with
gostcrypto, in the encodings of Russian certificates and CMS (RFC 4491, RFC 9215, Р 1323565.1.023):

- the public key is an OCTET STRING inside the BIT STRING: X then Y, each little-endian;
- a signature value is s then r, each big-endian;
- the digest is read as a little-endian number (the hash's bytes reversed for gostcrypto, which
  reads them big-endian), as CryptoPro CSP and the OpenSSL GOST engine read it.
"""

from dataclasses import dataclass

import gostcrypto
from asn1crypto.core import OctetString, Sequence
from gostcrypto import gostsignature

# Algorithms
GOST_256 = "1.2.643.7.1.1.1.1"  # id-tc26-gost3410-12-256 (public key)
GOST_512 = "1.2.643.7.1.1.1.2"  # id-tc26-gost3410-12-512
STREEBOG_256 = "1.2.643.7.1.1.2.2"
STREEBOG_512 = "1.2.643.7.1.1.2.3"
SIGN_256 = "1.2.643.7.1.1.3.2"  # id-tc26-signwithdigest-gost3410-12-256
SIGN_512 = "1.2.643.7.1.1.3.3"
KEY_ALGORITHMS = {GOST_256: 256, GOST_512: 512}
DIGESTS = {STREEBOG_256: "streebog256", STREEBOG_512: "streebog512"}
SIGNATURES = {SIGN_256: (256, STREEBOG_256), SIGN_512: (512, STREEBOG_512)}

# Curve parameter sets: the TC26 ones and their CryptoPro aliases (the same curves).
CURVES = {
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.35.1": "id-tc26-gost-3410-2012-256-paramSetB",  # CryptoPro-A
    "1.2.643.2.2.35.2": "id-tc26-gost-3410-2012-256-paramSetC",  # CryptoPro-B
    "1.2.643.2.2.35.3": "id-tc26-gost-3410-2012-256-paramSetD",  # CryptoPro-C
    "1.2.643.2.2.36.0": "id-tc26-gost-3410-2012-256-paramSetB",  # CryptoPro-XchA
    "1.2.643.2.2.36.1": "id-tc26-gost-3410-2012-256-paramSetD",  # CryptoPro-XchB
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-2012-512-paramSetC",
}


class GostError(ValueError):
    """A key, parameter set or signature this module cannot read."""


@dataclass(frozen=True)
class GostPublicKey:
    bits: int  # 256 or 512
    curve_oid: str
    point: bytes  # X || Y big-endian, as gostcrypto takes it


def digest(data: bytes, algorithm: str) -> bytes:
    """Streebog of `data` (algorithm: a Streebog OID), the bytes as CMS carries them."""
    name = DIGESTS.get(algorithm)
    if name is None:
        raise GostError(algorithm)
    return bytes(gostcrypto.gosthash.new(name, data=data).digest())


def public_key(algorithm: str, parameters, key_bytes: bytes) -> GostPublicKey:
    """A GOST key from its SubjectPublicKeyInfo pieces: the algorithm OID, the parameters (a
    SEQUENCE whose first OID is the curve; asn1crypto hands it over parsed or raw) and the BIT
    STRING's contents (an OCTET STRING of X || Y, little-endian)."""
    bits = KEY_ALGORITHMS.get(algorithm)
    if bits is None:
        raise GostError(algorithm)
    try:
        raw = parameters.dump() if hasattr(parameters, "dump") else bytes(parameters)
        curve = Sequence.load(raw)[0].dotted if raw else ""
    except Exception as exc:
        raise GostError("parameters") from exc
    if curve not in CURVES:
        raise GostError(curve)
    try:
        octets = OctetString.load(key_bytes).native
    except Exception as exc:
        raise GostError("public key") from exc
    size = bits // 8
    if len(octets) != 2 * size:
        raise GostError("public key size")
    x, y = octets[:size][::-1], octets[size:][::-1]
    return GostPublicKey(bits=bits, curve_oid=curve, point=x + y)


def _engine(bits: int, curve_oid: str):
    mode = gostsignature.MODE_256 if bits == 256 else gostsignature.MODE_512
    return gostsignature.new(mode, gostsignature.CURVES_R_1323565_1_024_2019[CURVES[curve_oid]])


def verify(key: GostPublicKey, *, signature_algorithm: str, data: bytes, signature: bytes) -> bool:
    """Is `signature` (s || r) the signature of `data` with this key under the algorithm (a
    sign-with-digest OID, or a key OID with the digest implied by the key size)?"""
    bits, digest_oid = SIGNATURES.get(signature_algorithm) or _implied(signature_algorithm, key)
    if bits != key.bits:
        return False
    size = bits // 8
    if len(signature) != 2 * size:
        return False
    s, r = signature[:size], signature[size:]
    hashed = digest(data, digest_oid)[::-1]
    try:
        return bool(_engine(bits, key.curve_oid).verify(bytearray(key.point), bytearray(hashed), bytearray(r + s)))
    except gostsignature.GOSTSignatureError:
        return False


def _implied(algorithm: str, key: GostPublicKey) -> tuple[int, str]:
    # CMS may name the key algorithm as the signature algorithm (CryptoPro does): the digest is
    # Streebog of the key's size.
    if algorithm in KEY_ALGORITHMS:
        return key.bits, STREEBOG_256 if key.bits == 256 else STREEBOG_512
    raise GostError(algorithm)


def sign(private_key: bytes, *, bits: int, curve_oid: str, data: bytes) -> bytes:
    """The signature s || r of `data` (Streebog of the key's size). Used by the tests' certificate
    authority; the server itself never holds a GOST key."""
    hashed = digest(data, STREEBOG_256 if bits == 256 else STREEBOG_512)[::-1]
    rs = bytes(_engine(bits, curve_oid).sign(bytearray(private_key), bytearray(hashed)))
    size = bits // 8
    return rs[size:] + rs[:size]


def public_point(private_key: bytes, *, bits: int, curve_oid: str) -> bytes:
    """X || Y little-endian each: the OCTET STRING of a certificate's GOST public key."""
    point = bytes(_engine(bits, curve_oid).public_key_generate(bytearray(private_key)))
    size = bits // 8
    return point[:size][::-1] + point[size:][::-1]
