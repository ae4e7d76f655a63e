"""The order as a PDF: its context (built from selectors; the template does no queries), laid out
by the project's one renderer, `vprplan.documents.pdf.render_pdf`."""

import re
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.urls import reverse

from activities.selectors import plan_document
from reports.exports import cell_value, section_heading
from reports.models import Order, OrderDocument
from reports.signing import CertificateInfo
from vprplan.checks import is_loopback
from vprplan.documents.blanks import date_text
from vprplan.documents.pdf import LANDSCAPE_WIDTH_MM, Rendered, render_pdf
from vprplan.documents.widths import column_widths

SHORT_LABEL = 6  # «№ п/п»: a heading kept on one line


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
