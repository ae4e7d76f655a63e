"""The act's scan: a PDF, JPG or PNG judged by its content (vprplan.uploads), never by its name or
the browser's type; its extension need not agree (a scanner may name its file anyhow)."""

from django.conf import settings

from vprplan.uploads import CheckedUpload, check_upload

SCAN_KINDS = ("pdf", "jpg", "png")


def check_scan(upload) -> CheckedUpload:
    """What the uploaded scan really is (kind, content type, display name), or UploadRejected (a
    DomainError) in Russian."""
    return check_upload(
        upload, kinds=SCAN_KINDS, max_bytes=settings.ACT_SCAN_MAX_BYTES, match_extension=False
    )
