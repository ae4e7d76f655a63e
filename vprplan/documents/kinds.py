"""The registry of long exports' kinds (vprplan.documents.exports): each app registers its own
from its apps.py, so that asking for an export imports nothing of the app that renders it."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    content: bytes
    file_name: str
    content_type: str = "application/pdf"


@dataclass(frozen=True)
class ExportKind:
    check: Callable  # (user, params) -> the objects, or DomainError when the user may not
    render: Callable  # (user, params, objects) -> Rendered
    personal_data: dict | None = None  # audited as personal_data.exported on download
    version: Callable | None = None  # (params) -> what the file shows, as a key: same key, same file
    title: str = "Файл"  # for the page that starts the export and the status page
    source_url: Callable | None = None  # (params) -> the URL that asks for the same export again


# Filled by the owning apps' AppConfig.ready() (activities: the «Справка»; observers: the schedule).
KINDS: dict[str, ExportKind] = {}


def register(name: str, kind: ExportKind) -> None:
    """Make `name` an export kind (from the owning app's apps.py)."""
    KINDS[name] = kind


def export_title(kind: str) -> str:
    """The kind's title («Справка о ходе выполнения плана»), or its name when none is registered."""
    found = KINDS.get(kind)
    return found.title if found is not None else kind
