"""The act's scan: a PDF, JPG or PNG judged by its content, never by its name or browser type."""

from dataclasses import dataclass

from vprplan.errors import DomainError

MAX_SCAN_BYTES = 15 * 1024 * 1024


@dataclass(frozen=True)
class ScanKind:
    extension: str
    content_type: str


PDF = ScanKind(".pdf", "application/pdf")
JPEG = ScanKind(".jpg", "image/jpeg")
PNG = ScanKind(".png", "image/png")


def scan_kind(upload) -> ScanKind:
    """What the uploaded file really is, or a DomainError in Russian."""
    if upload.size > MAX_SCAN_BYTES:
        raise DomainError(f"Файл больше {MAX_SCAN_BYTES // (1024 * 1024)} МБ: уменьшите разрешение скана.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    else:
        raise DomainError("Скан акта принимается в формате PDF, JPG или PNG; этот файл — не такой.")
    if kind is not PDF:
        _check_image(upload)
    return kind


def _check_image(upload) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError("Изображение повреждено или не читается: загрузите скан ещё раз.") from exc
    finally:
        upload.seek(0)
