"""The ГОСТ encodings checked against published vectors, not only against the tests' own signer:
the SignedData examples of ТК 26 «Использование алгоритмов ГОСТ 28147-89, ГОСТ Р 34.11 и
ГОСТ Р 34.10 в криптографических сообщениях формата CMS» (256 bits on the CryptoPro-XchA curve,
512 bits on paramSetB), with their private keys. Their signatures (s‖r over Streebog read
little-endian) must verify with reports.signing.cades.gost, and a changed byte must not."""

import base64

import pytest
from asn1crypto import cms

from reports.signing.cades import gost

VECTORS = [
    (
        "1.2.643.2.2.36.0",  # id-GostR3410-2001-CryptoPro-XchA-ParamSet
        256,
        "BFCF1D623E5CDD3032A7C6EABB4A923C46E43D640FFEAAF2C3ED39A8FA399924",
        """MIIBBQYJKoZIhvcNAQcCoIH3MIH0AgEBMQ4wDAYIKoUDBwEBAgIFADAbBgkqhkiG
9w0BBwGgDgQMVGVzdCBtZXNzYWdlMYHBMIG+AgEBMFswVjEpMCcGCSqGSIb3DQEJ
ARYaR29zdFIzNDEwLTIwMTJAZXhhbXBsZS5jb20xKTAnBgNVBAMTIEdvc3RSMzQx
MC0yMDEyICgyNTYgYml0KSBleGFtcGxlAgEBMAwGCCqFAwcBAQICBQAwDAYIKoUD
BwEBAQEFAARAkptb2ekZbC94FaGDQeP70ExvTkXtOY9zgz3cCco/hxPhXUVo3eCx
VNwDQ8enFItJZ8DEX4blZ8QtziNCMl5HbA==""",
    ),
    (
        "1.2.643.7.1.2.1.2.2",  # id-tc26-gost-3410-12-512-paramSetB
        512,
        "3FC01CDCD4EC5F972EB482774C41E66DB7F380528DFE9E67992BA05AEE462435"
        "757530E641077CE587B976C8EEB48C48FD33FD175F0C7DE6A44E014E6BCB074B",
        """MIIBSQYJKoZIhvcNAQcCoIIBOjCCATYCAQExDjAMBggqhQMHAQECAwUAMBsGCSqG
SIb3DQEHAaAOBAxUZXN0IG1lc3NhZ2UxggECMIH/AgEBMFswVjEpMCcGCSqGSIb3
DQEJARYaR29zdFIzNDEwLTIwMTJAZXhhbXBsZS5jb20xKTAnBgNVBAMTIEdvc3RS
MzQxMC0yMDEyICg1MTIgYml0KSBleGFtcGxlAgEBMAwGCCqFAwcBAQIDBQAwDAYI
KoUDBwEBAQIFAASBgFyVohNhMHUi/+RAF3Gh/cC7why6v+4jPWVlx1TYlXtV8Hje
hI2Y+rP52/LO6EUHG/XcwCBbUxmRWsbUSRRBAexmaafkSdvv2FFwC8kHOcti+UPX
PS+KRYxT8vhcsBLWWxDkc1McI7aF09hqtED36mQOfACzeJjEoUjALpmJob1V""",
    ),
]


@pytest.mark.parametrize(("curve", "bits", "private_hex", "content_info"), VECTORS)
def test_tc26_signed_data_vectors_verify(curve, bits, private_hex, content_info, record_property):
    signed = cms.ContentInfo.load(base64.b64decode(content_info))["content"]
    content = signed["encap_content_info"]["content"].native
    signer = signed["signer_infos"][0]
    assert content == b"Test message"
    octets = gost.public_point(bytes.fromhex(private_hex), bits=bits, curve_oid=curve)
    size = bits // 8
    key = gost.GostPublicKey(bits=bits, curve_oid=curve, point=octets[:size][::-1] + octets[size:][::-1])
    algorithm = signer["signature_algorithm"]["algorithm"].dotted  # the key's OID, as CryptoPro writes it
    signature = signer["signature"].native
    assert gost.verify(key, signature_algorithm=algorithm, data=content, signature=signature)
    assert not gost.verify(key, signature_algorithm=algorithm, data=b"Test messagE", signature=signature)
    record_property(f"gost_tc26_vector_{bits}_verified", 1)
