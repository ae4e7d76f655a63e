"""The printable «Справка о ходе выполнения плана»: HTML → PDF with WeasyPrint (fonts from the
system: PT Serif or Liberation Serif). The context is built before; the template does no queries."""

import logging

from django.conf import settings
from django.template.loader import render_to_string


def html_to_pdf(html: str) -> bytes:
    # WeasyPrint narrates every layout step at INFO; the server log needs none of it.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))
