"""What an evidence file really is: read from its content (magic bytes, then opened), never from
its name or the browser's Content-Type alone. The checks themselves are vprplan.uploads'; this
module holds what is particular to evidence: the kinds the settings allow, the size and count.

    checked = check_evidence_file(upload)   # CheckedUpload(kind="pdf", content_type=…, name=…)
    raises EvidenceRejected("«скан.pdf»: …") with a message a school coordinator can act on
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from vprplan.uploads import KINDS, CheckedUpload, UploadRejected, check_upload
from vprplan.wording import plural

EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "jpg", "png")


class EvidenceRejected(UploadRejected):
    """The file is not one we accept; the message names it and says why."""


def allowed_kinds() -> list[str]:
    return [k for k in settings.EVIDENCE_ALLOWED_TYPES if k in EVIDENCE_KINDS]


def accept_attribute() -> str:
    """For <input type=file accept=…>: a hint to the browser, not a check."""
    return ",".join(ext for k in allowed_kinds() for ext in KINDS[k].extensions)


def allowed_description() -> str:
    return ", ".join(KINDS[k].label for k in allowed_kinds())


def check_evidence_file(upload: UploadedFile) -> CheckedUpload:
    try:
        return check_upload(upload, kinds=allowed_kinds(), max_bytes=settings.EVIDENCE_MAX_BYTES)
    except UploadRejected as exc:
        raise EvidenceRejected(str(exc)) from exc


def check_evidence_files(uploads, *, attached: int = 0) -> list[CheckedUpload]:
    """The uploads checked; EVIDENCE_MAX_FILES bounds the files of one execution, counting the
    `attached` ones (not only those of one request: four posts must not make 31 files)."""
    uploads = list(uploads)
    limit = settings.EVIDENCE_MAX_FILES
    if len(uploads) > limit:
        raise EvidenceRejected(f"За один раз можно приложить не больше {limit} {plural(limit, 'файла', 'файлов', 'файлов')}.")
    if uploads and attached + len(uploads) > limit:
        raise EvidenceRejected(
            f"К выполнению уже приложено файлов: {attached}; всего можно не больше {limit}. Удалите лишние "
            "или объедините сканы в один PDF."
        )
    return [check_evidence_file(u) for u in uploads]
