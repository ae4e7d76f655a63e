"""The order as a PDF: one `render_pdf(template, context)` for every printed document, and the
order's context (built from selectors; the template does no queries)."""

import atexit
import ipaddress
import logging
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
from reports.signing import CertificateInfo

STATIC = Path(settings.BASE_DIR) / "static"
ORDER_CSS = STATIC / "css" / "order-print.css"
# WeasyPrint reports every layout step at INFO: noise in a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

MONTHS = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip
# Relative widths of the plan's columns on a landscape page (the table is fixed-layout).
COLUMN_WEIGHTS = {
    "number": 6,
    "title": 31,
    "deadline": 16,
    "responsible": 24,
    "expected_result": 26,
    "note": 14,
}


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


def render_pdf(template: str, context: dict, *, stylesheet: Path = ORDER_CSS) -> Rendered:
    """HTML from `template` laid out by WeasyPrint with a print stylesheet of static/css."""
    from weasyprint import HTML

    css, fonts = _stylesheet(stylesheet)
    html = render_to_string(template, context)
    document = HTML(string=html, base_url=str(STATIC) + "/").render(stylesheets=[css], font_config=fonts)
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages))


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
    host = (parts.hostname or "").lower()
    loopback = host in ("localhost", "") or host.endswith(".localhost")
    try:
        address = ipaddress.ip_address(host)
        loopback = loopback or address.is_loopback or address.is_unspecified
    except ValueError:
        pass
    if parts.scheme not in ("http", "https") or loopback:
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
    """The plan's columns (with widths in %) and its sections with rows of cells."""
    total = sum(COLUMN_WEIGHTS.get(key, 15) for key, _ in plan.columns)
    columns = [
        {"key": key, "label": label, "width": f"{COLUMN_WEIGHTS.get(key, 15) * 100 / total:.2f}"}
        for key, label in plan.columns
    ]
    keys = [c["key"] for c in columns]
    sections = [
        {
            "heading": section_heading(section),
            "rows": [[{"key": k, "text": cell_value(a, k)} for k in keys] for a in section.activities.all()],
        }
        for section in plan_document(plan)
    ]
    return columns, sections


def order_context(order: Order, *, document_id, certificate: CertificateInfo) -> dict:
    plan = order.plan
    columns, sections = plan_table(plan)
    url = verify_url(document_id)
    return {
        "order": order,
        "plan": plan,
        "date_text": date_text(order.date),
        "clauses_before": order.clauses[:-1],
        "last_clause": order.clauses[-1] if order.clauses else "",
        "distribution": [line.strip() for line in order.distribution.splitlines() if line.strip()],
        "certificate": certificate,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "heading": plan_heading(plan.title),
        "columns": columns,
        "sections": sections,
    }


def render_order(order: Order, *, document: OrderDocument, certificate: CertificateInfo) -> Rendered:
    return render_pdf(
        "reports/pdf/order.html", order_context(order, document_id=document.pk, certificate=certificate)
    )
