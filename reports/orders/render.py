"""The order as a PDF: one `render_pdf(template, context)` for every printed document, and the
order's context (built from selectors; the template does no queries)."""

import atexit
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from activities.selectors import plan_document
from reports.exports import cell_value, section_heading
from reports.models import Order, OrderDocument
from reports.orders.widths import column_widths
from reports.signing import CertificateInfo
from vprplan.checks import is_loopback

STATIC = Path(settings.BASE_DIR) / "static"
ORDER_CSS = STATIC / "css" / "order-print.css"
# WeasyPrint reports every layout step at INFO: noise in a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

MONTHS = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip
LANDSCAPE_WIDTH_MM = 297 - 30 - 10  # a landscape page's text width (reports.orders.widths)
SHORT_LABEL = 6  # «№ п/п»: a heading kept on one line


@dataclass
class Rendered:
    pdf: bytes
    pages: int


_local = threading.local()


def _stylesheet(path: Path):
    """The parsed print CSS with its fonts, once per thread (fonts load in ~100 ms; Pango's font
    map is not shared between threads)."""
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


def html_pdf(html: str, *, stylesheet: Path = ORDER_CSS) -> Rendered:
    """Ready HTML laid out by WeasyPrint with a print stylesheet of static/css (its fonts are the
    project's own, embedded)."""
    from weasyprint import HTML

    css, fonts = _stylesheet(stylesheet)
    document = HTML(string=html, base_url=str(STATIC) + "/").render(stylesheets=[css], font_config=fonts)
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages))


def render_pdf(template: str, context: dict, *, stylesheet: Path = ORDER_CSS) -> Rendered:
    """The one PDF renderer of the project: HTML from `template`, laid out by `html_pdf`. Orders,
    the «Справка» and the observers' schedule all print through it."""
    return html_pdf(render_to_string(template, context), stylesheet=stylesheet)


def date_text(value) -> str:
    """«29» февраля 2024 года, as the authority's blanks date their orders; a draft's blanks."""
    if value is None:
        return "«___» ____________ 20___ года"
    return f"«{value.day:02d}» {MONTHS[value.month - 1]} {value.year} года"


def site_url_problem() -> str:
    """Why SITE_URL cannot be sealed into a signed order's QR code and link ("" when it can):
    missing, not http(s), or this machine (localhost, 127.0.0.1, ::1, 0.0.0.0)."""
    if not settings.ORDER_SIGNING_REQUIRE_SITE_URL:
        return ""
    url = (settings.SITE_URL or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or is_loopback(parts.hostname):
        shown = f"«{url}»" if url else "не задан"
        return (
            f"Приказ не подписан: адрес сайта (SITE_URL) {shown} — это не публичный адрес. "
            "QR-код и ссылка для проверки подлинности навсегда впечатываются в подписанный документ "
            "и вели бы на этот компьютер, а не на сайт. Попросите администратора указать в настройках "
            "сервера адрес сайта, открытый из интернета (например, https://vpr.example.ru), "
            "и подпишите приказ снова."
        )
    return ""


def verify_url(document_id) -> str:
    return settings.SITE_URL + reverse("reports:verify_document", args=[document_id])


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def plan_heading(title: str) -> tuple[str, str]:
    """«ПЛАН МЕРОПРИЯТИЙ» on its own line, as the appendix of a plan is headed; other titles whole."""
    words = title.split(" ", 2)
    if len(words) == 3 and f"{words[0]} {words[1]}".lower() == "план мероприятий":
        return "ПЛАН МЕРОПРИЯТИЙ", words[2]
    return title, ""


def plan_table(plan) -> tuple[list[dict], list[dict]]:
    """The plan's columns (with widths in % from their content) and its sections with rows of
    cells. A section without a title (a flat plan's implicit one) has no heading row; activities
    keep the numbers the plan gives them."""
    keys = [key for key, _ in plan.columns]
    sections, texts = [], []
    for section in plan_document(plan):
        rows = [[{"key": k, "text": cell_value(a, k)} for k in keys] for a in section.activities.all()]
        texts += [[c["text"] for c in row] for row in rows]
        heading = section_heading(section) if section.title.strip() else ""
        sections.append({"heading": heading, "rows": rows})
    labels = [(key, heading_label(label)) for key, label in plan.columns]
    whole = tuple(label for _key, label in labels if len(label) <= SHORT_LABEL)
    widths = column_widths(labels, texts, LANDSCAPE_WIDTH_MM, whole_headings=whole)
    columns = [
        {"key": key, "label": label, "short": len(label) <= SHORT_LABEL, "width": f"{width:.2f}"}
        for (key, label), width in zip(labels, widths, strict=True)
    ]
    return columns, sections


def heading_label(label: str) -> str:
    """«№п/п» as a heading prints «№ п/п»."""
    return re.sub(r"№\s*п\s*/\s*п", "№ п/п", label)


def appendix_lines(order: Order) -> list[str]:
    """The one heading block of the order's appendix: «Приложение / УТВЕРЖДЕН / приказом … / от … № …»."""
    return ["Приложение", "УТВЕРЖДЕН", f"приказом {order.authority_genitive}", order.requisites]


def mark_owner(order: Order, certificate: CertificateInfo) -> str:
    """The certificate owner's full name for the mark: the authority head's full name when it is
    the certificate's owner (a certificate may name him by initials), else what it says."""
    authority = getattr(order.organization, "authority", None)
    full = (authority.head_full_name if authority is not None else "").strip()
    surname = full.split(" ", 1)[0] if full else ""
    if full and surname and surname.lower() in certificate.owner.lower():
        return full
    return certificate.owner


def order_context(order: Order, *, document_id, certificate: CertificateInfo | None) -> dict:
    """`certificate` None: signed by hand on paper, the place of the signature is printed instead
    of the e-signature mark."""
    plan = order.plan
    columns, sections = plan_table(plan)
    url = verify_url(document_id)
    return {
        "order": order,
        "plan": plan,
        "mark_owner": mark_owner(order, certificate) if certificate is not None else "",
        "appendix_heading": appendix_lines(order),
        "date_text": date_text(order.date),
        "clauses_before": order.clauses[:-1],
        "last_clause": order.clauses[-1] if order.clauses else "",
        "distribution": [line.strip() for line in order.distribution.splitlines() if line.strip()],
        "certificate": certificate,
        "verify_url": url,
        # The address on two lines, cut after «/verify/»: it is never broken mid-word.
        "verify_url_lines": [url[: len(url) - len(str(document_id)) - 1], f"{document_id}/"],
        "qr": qr_data_uri(url),
        "heading": plan_heading(plan.title),
        "columns": columns,
        "sections": sections,
    }


def render_order(order: Order, *, document: OrderDocument, certificate: CertificateInfo | None) -> Rendered:
    return render_pdf(
        "reports/pdf/order.html", order_context(order, document_id=document.pk, certificate=certificate)
    )
