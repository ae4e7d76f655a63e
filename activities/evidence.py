"""What an evidence file really is: read from its content (magic bytes, then opened), never from
its name or the browser's Content-Type alone.

    checked = check_evidence_file(upload)   # CheckedFile(kind="pdf", content_type=…, name=…)
    raises EvidenceRejected("«скан.pdf»: …") with a message a school coordinator can act on
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from vprplan.errors import DomainError

# kind: (extensions, Content-Type served, label)
KINDS = {
    "pdf": ((".pdf",), "application/pdf", "PDF"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    "xlsx": (
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (XLSX)",
    ),
    "jpg": ((".jpg", ".jpeg"), "image/jpeg", "JPG"),
    "png": ((".png",), "image/png", "PNG"),
}
# An Office file is a zip: refuse archives that unpack to absurd sizes (zip bombs).
MAX_UNPACKED = 300 * 1024 * 1024
MAX_MEMBERS = 5000


class EvidenceRejected(DomainError):
    """The file is not one we accept; the message names it and says why."""


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    kind: str
    content_type: str
    name: str
    size: int


def allowed_kinds() -> list[str]:
    return [k for k in settings.EVIDENCE_ALLOWED_TYPES if k in KINDS]


def accept_attribute() -> str:
    """For <input type=file accept=…>: a hint to the browser, not a check."""
    return ",".join(ext for k in allowed_kinds() for ext in KINDS[k][0])


def allowed_description() -> str:
    return ", ".join(KINDS[k][2] for k in allowed_kinds())


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _office_kind(upload) -> str | None:
    """docx or xlsx when the zip really is one (its parts are where Office puts them); macro-enabled
    documents are refused."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
                return None
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _pdf_complete(upload) -> bool:
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - 2048))
    return b"%%EOF" in upload.read()


def _image_opens(upload) -> bool:
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds for a broken or hostile image
        return False
    return True


def check_evidence_file(upload: UploadedFile) -> CheckedFile:
    name = PurePath(upload.name or "файл").name[:255]
    quoted = f"«{name}»"
    if upload.size is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
        raise EvidenceRejected(
            f"{quoted}: файл больше {filesizeformat(settings.EVIDENCE_MAX_BYTES)}. "
            "Уменьшите скан (например, 200–300 dpi, чёрно-белый) или разделите его."
        )
    if not upload.size:
        raise EvidenceRejected(f"{quoted}: файл пустой.")
    upload.seek(0)
    sniffed = _sniff(upload.read(8))
    kind = _office_kind(upload) if sniffed == "zip" else sniffed
    ok = {
        "pdf": lambda: _pdf_complete(upload),
        "png": lambda: _image_opens(upload),
        "jpg": lambda: _image_opens(upload),
    }.get(kind, lambda: kind is not None)()
    kinds = allowed_kinds()
    if kind not in kinds or not ok:
        raise EvidenceRejected(
            f"{quoted}: это не {allowed_description()} или файл повреждён. "
            "Приложите документ в одном из этих форматов."
        )
    extensions = KINDS[kind][0]
    if PurePath(name).suffix.lower() not in extensions:
        raise EvidenceRejected(
            f"{quoted}: по содержимому это {KINDS[kind][2]}, а расширение другое. "
            f"Сохраните файл с расширением {extensions[0]}."
        )
    upload.seek(0)
    return CheckedFile(upload=upload, kind=kind, content_type=KINDS[kind][1], name=name, size=upload.size)


def check_evidence_files(uploads) -> list[CheckedFile]:
    uploads = list(uploads)
    if len(uploads) > settings.EVIDENCE_MAX_FILES:
        raise EvidenceRejected(f"За один раз можно приложить не больше {settings.EVIDENCE_MAX_FILES} файлов.")
    return [check_evidence_file(u) for u in uploads]
