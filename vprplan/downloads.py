"""A stored file (evidence, act scan, signed order, export) as the user's download, from whatever
storage holds it (STORAGES["default"]: the local disk or an S3-compatible bucket).

By default the file is streamed through the app from the storage (`FieldFile.open()`), with our
attachment headers (vprplan.uploads.attachment_response). With STORAGE_S3_PRESIGNED_DOWNLOADS the
browser is sent to a short-lived signed URL of the bucket instead, whose answer carries the same
Content-Disposition and Content-Type (set by the URL's response-content-* parameters) and
`Cache-Control: private, no-store`."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from vprplan.uploads import attachment_response, display_name


def stored_file_response(
    field_file, *, filename: str, content_type: str, private: bool = True
) -> HttpResponse:
    """The download of `field_file` (a FieldFile) as an attachment named `filename`; Http404 when
    the row names no file or the storage has none by that name."""
    if not field_file or not field_file.name:
        raise Http404
    if settings.STORAGE_S3_PRESIGNED_DOWNLOADS:
        return _presigned_redirect(field_file, filename=filename, content_type=content_type, private=private)
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return attachment_response(handle, filename=filename, content_type=content_type, private=private)


def presigned_parameters(*, filename: str, content_type: str, private: bool = True) -> dict[str, str]:
    """The GetObject overrides that make the bucket answer as attachment_response would."""
    return {
        "ResponseContentDisposition": content_disposition_header(True, display_name(filename)),
        "ResponseContentType": content_type,
        "ResponseCacheControl": "private, no-store" if private else "public, max-age=3600",
    }


def _presigned_redirect(field_file, *, filename: str, content_type: str, private: bool) -> HttpResponse:
    storage = field_file.storage
    if not storage.exists(field_file.name):
        raise Http404
    url = storage.url(
        field_file.name,
        parameters=presigned_parameters(filename=filename, content_type=content_type, private=private),
    )
    response = HttpResponseRedirect(url)
    # The address is a credential for a few minutes: neither cached nor sent on as a referrer.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
