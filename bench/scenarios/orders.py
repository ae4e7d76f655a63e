"""The signed order (issue 7): rendering and signing the order whose appendix is the measured
150-activity plan, against WeasyPrint laying out the same table with minimal CSS, and against what
a clerk does today: LibreOffice converting the .docx export to PDF. LibreOffice is not a
requirement: without `soffice` that scenario keeps its row and measures the WeasyPrint anchor,
saying so in the anchor's name.

The WeasyPrint anchor is WeasyPrint's floor for that table: the same rows in the same shipped
serif at the same size, its fonts loaded once per process (as ours, `vprplan.documents.pdf`), a
fixed table layout, and nothing else (no hyphenation, no page numbers, no heading).

Ours is the job's whole work (`order_document_render`: the PDF with its fonts and QR code, the
PAdES signature, its check, the SHA-256, the records), rolled back and kept in memory so the
bench database and MEDIA_ROOT stay as they were. Peak memory: `manage.py order_pdf_memory`.
"""

import atexit
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from django.db import transaction
from django.template import engines
from django.test import override_settings

from activities.models import Activity, Plan
from bench.registry import BenchError, Case, Context, scenario
from reports.exports.order_docx import order_docx
from reports.models import Order, OrderDocument, OrderStatus
from reports.orders.prefill import order_defaults
from reports.orders.services import order_document_render
from reports.signing.demo import make_pkcs12
from reports.signing.pades import PadesSigner
from schools.choices import Role
from schools.models import EducationAuthority
from vprplan.documents.pdf import STATIC

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MINIMAL = engines["django"].from_string(
    '<html lang="ru"><table><colgroup><col style="width: 6%"><col style="width: 30%"><col style="width: 18%">'
    '<col style="width: 23%"><col style="width: 23%"></colgroup>'
    "<thead><tr><th>№</th><th>Мероприятие</th><th>Срок</th><th>Ответственные</th>"
    "<th>Результат</th></tr></thead><tbody>{% for r in rows %}<tr>{% for c in r %}<td>{{ c }}</td>"
    "{% endfor %}</tr>{% endfor %}</tbody></table></html>"
)
MINIMAL_CSS = """
@font-face { font-family: "Anchor Serif"; src: url("fonts/liberation-serif/LiberationSerif-Regular.ttf"); }
@font-face { font-family: "Anchor Serif"; src: url("fonts/liberation-serif/LiberationSerif-Bold.ttf");
  font-weight: 700; }
@page { size: A4 landscape; margin: 20mm 10mm 20mm 30mm }
html { font: 12pt/1.15 "Anchor Serif" }
table { border-collapse: collapse; width: 100%; table-layout: fixed }
td, th { border: .6pt solid; padding: 1mm 1.5mm; vertical-align: top }
"""
_SIGNERS: dict = {}
_MINIMAL_STYLES: dict = {}


def _signer() -> PadesSigner:
    """A demo certificate for the run (made once per process, in a temporary file)."""
    if "signer" not in _SIGNERS:
        path = Path(tempfile.mkdtemp(prefix="vprplan-bench-")) / "bench.p12"
        path.write_bytes(make_pkcs12(owner="Иванова Мария Петровна", organization="Управление образования"))
        _SIGNERS["signer"] = PadesSigner(path=path)
    return _SIGNERS["signer"]


def bench_order(ctx: Context) -> Order:
    """A draft order of the measured plan (made once per bench database)."""
    plan = Plan.objects.select_related("owner").get(pk=ctx.data.plan)
    existing = Order.objects.filter(plan=plan, number="bench").first()
    if existing is not None:
        return existing
    authority = EducationAuthority.objects.get(municipality=plan.owner)
    values = order_defaults(plan=plan, authority=authority, actor=None)
    # Registered as signing would register it (the bench renders and signs without the request step).
    signed_on = date(plan.period_start.year, 9, 1)
    values.update(number="bench", date=signed_on, year=signed_on.year)
    return Order.objects.create(**values)


def ours_job(ctx: Context, order: Order):
    head = ctx.user(Role.HEAD)
    signer = _signer()

    def ours():
        with override_settings(STORAGES=IN_MEMORY), transaction.atomic():
            Order.objects.filter(pk=order.pk).update(status=OrderStatus.SIGNING)
            document = OrderDocument.objects.create(order=order, requested_by=head)
            done = order_document_render(document_id=document.pk, signer=signer)
            if not done.is_signed or done.pages < 5:
                raise BenchError(f"the order was not signed, or not with its whole appendix: {done.error}")
            transaction.set_rollback(True)
        return done

    return ours


def minimal_stylesheet():
    """The anchor's CSS with its fonts, once per process (as `vprplan.documents.pdf` keeps ours)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if "css" not in _MINIMAL_STYLES:
        fonts = FontConfiguration()
        _MINIMAL_STYLES["css"] = (CSS(string=MINIMAL_CSS, base_url=f"{STATIC}/", font_config=fonts), fonts)
        # Before interpreter teardown: FontConfiguration.__del__ needs its modules alive.
        atexit.register(_MINIMAL_STYLES.clear)
    return _MINIMAL_STYLES["css"]


def minimal_weasyprint(plan_id: int):
    from weasyprint import HTML

    css, fonts = minimal_stylesheet()

    def anchor():
        rows = Activity.objects.filter(plan_id=plan_id).order_by("section__position", "position")
        values = rows.values_list("number", "title", "deadline_text", "responsible_text", "expected_result")
        html = HTML(string=MINIMAL.render({"rows": list(values)}), base_url=f"{STATIC}/")
        return html.write_pdf(stylesheets=[css], font_config=fonts)

    return anchor


@scenario("order: render and sign the PDF, 150-activity appendix", goal_ratio=3.0)
def order_pdf(ctx: Context) -> Case:
    return Case(
        ours=ours_job(ctx, bench_order(ctx)),
        anchor=minimal_weasyprint(ctx.data.plan),
        anchor_name="WeasyPrint: the same table and font, fixed layout, minimal CSS, 1 query",
    )


def soffice_anchor(order: Order):
    """The clerk's way: export the order to Word, convert it to PDF with LibreOffice (None
    without LibreOffice)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    workdir = Path(tempfile.mkdtemp(prefix="vprplan-soffice-"))

    def anchor():
        source = workdir / "order.docx"
        source.write_bytes(order_docx(order))  # the sections and their activities: 2 queries
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return (workdir / "order.pdf").read_bytes()

    return anchor


@scenario("order: render and sign vs LibreOffice .docx → PDF, 150 activities", goal_ratio=3.0)
def order_vs_libreoffice(ctx: Context) -> Case:
    order = bench_order(ctx)
    anchor = soffice_anchor(order)
    if anchor is None:
        return Case(
            ours=ours_job(ctx, order),
            anchor=minimal_weasyprint(ctx.data.plan),
            anchor_name="LibreOffice unavailable (no soffice): WeasyPrint, same font, minimal CSS instead",
        )
    return Case(
        ours=ours_job(ctx, order),
        anchor=anchor,
        anchor_name="LibreOffice: .docx export → PDF (soffice --headless)",
    )
