"""The one PDF renderer of the project: `render_pdf(template, context)` lays out a template's HTML
with WeasyPrint and a print stylesheet of static/css (the project's own fonts, embedded). Orders,
the progress «Справка» and the observers' schedule all print through it; their contexts come from
selectors, the templates do no queries."""

import atexit
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

STATIC = Path(settings.BASE_DIR) / "static"
PRINT_CSS = STATIC / "css" / "order-print.css"
# WeasyPrint reports every layout step at INFO: noise in a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

LANDSCAPE_WIDTH_MM = 297 - 30 - 10  # a landscape page's text width (vprplan.documents.widths)


@dataclass
class Rendered:
    pdf: bytes
    pages: int


_local = threading.local()


def _stylesheet(path: Path):
    """The parsed print CSS with its fonts, once per thread (fonts load in ~100 ms; Pango's font
    map is not shared between threads)."""
    # WeasyPrint (and Pango behind it) loads only in the processes that render: a lazy library.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    cache = _local.__dict__.setdefault("stylesheets", {})
    if path not in cache:
        fonts = FontConfiguration()
        cache[path] = (CSS(filename=str(path), font_config=fonts), fonts)
    return cache[path]


def _drop_stylesheets() -> None:
    # Before interpreter teardown: FontConfiguration.__del__ needs its modules alive.
    _local.__dict__.pop("stylesheets", None)


atexit.register(_drop_stylesheets)


def html_pdf(html: str, *, stylesheet: Path = PRINT_CSS) -> Rendered:
    """Ready HTML laid out by WeasyPrint with a print stylesheet of static/css (its fonts are the
    project's own, embedded)."""
    from weasyprint import HTML  # lazy, as in _stylesheet

    css, fonts = _stylesheet(stylesheet)
    document = HTML(string=html, base_url=str(STATIC) + "/").render(stylesheets=[css], font_config=fonts)
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages))


def render_pdf(template: str, context: dict, *, stylesheet: Path = PRINT_CSS) -> Rendered:
    """HTML from `template` with `context`, laid out by `html_pdf`."""
    return html_pdf(render_to_string(template, context), stylesheet=stylesheet)
