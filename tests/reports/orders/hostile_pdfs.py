"""Signed PDFs made hostile for /verify/: many signature fields pointing at one signature (each
would be validated again), and a signature whose signer info has no signed attributes."""

import io
import re

from asn1crypto import cms


def with_extra_signature_fields(signed: bytes, count: int) -> bytes:
    """`signed` with an incremental update adding `count` signature fields whose /V is the
    document's own signature dictionary."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    form = writer.root["/AcroForm"]
    fields = form["/Fields"]
    original = next(f.get_object() for f in fields if f.get_object().get("/FT") == "/Sig")
    value = original.raw_get("/V")
    for number in range(count):
        field = generic.DictionaryObject(
            {
                generic.NameObject("/FT"): generic.NameObject("/Sig"),
                generic.NameObject("/T"): generic.TextStringObject(f"extra{number}"),
                generic.NameObject("/V"): value,
                generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(0)] * 4),
            }
        )
        fields.append(writer.add_object(field))
    if isinstance(form.raw_get("/Fields"), generic.IndirectObject):
        writer.mark_update(form.raw_get("/Fields"))
    writer.update_container(form)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def without_signed_attributes(signed: bytes) -> bytes:
    """`signed` with its CMS rewritten: the signer info keeps no signed attributes (the bytes stay
    where they were: the new CMS is padded with zeros inside the same /Contents)."""
    match = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", signed)
    hex_blob = match.group(1)
    info = cms.ContentInfo.load(
        bytes.fromhex(hex_blob.rstrip(b"0").decode() + "0" * (len(hex_blob.rstrip(b"0")) % 2)), strict=False
    )
    signer = info["content"]["signer_infos"][0]
    signer["signed_attrs"] = cms.CMSAttributes([])
    new = info.dump(force=True).hex().encode()
    assert len(new) <= len(hex_blob)
    return signed[: match.start(1)] + new + b"0" * (len(hex_blob) - len(new)) + signed[match.end(1) :]
