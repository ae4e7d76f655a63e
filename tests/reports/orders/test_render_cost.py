"""What keeps the order's PDF at WeasyPrint's own cost (issue 21): the print stylesheet and its
fonts are loaded once per thread, the appendix table has a fixed layout (its column widths come
from the <col> elements, not from measuring every cell), and the template prints a prepared
context without a query. The time itself is the bench's («order: render and sign the PDF»)."""

import threading
import uuid

import pytest
from django.template.loader import render_to_string

from reports.orders import services
from reports.orders.render import order_context
from vprplan.documents import pdf

pytestmark = pytest.mark.django_db
SMALL = '<!doctype html><html lang="ru"><body><p>Приказ</p></body></html>'


def in_thread(function):
    result = {}

    def run():
        try:
            result["value"] = function()
        except BaseException as exc:  # handed to the test's thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_the_stylesheet_and_its_fonts_are_loaded_once_per_thread(monkeypatch):
    from weasyprint.text import fonts

    made = []

    class Counted(fonts.FontConfiguration):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(fonts, "FontConfiguration", Counted)

    def two_renders():
        first, second = pdf.html_pdf(SMALL), pdf.html_pdf(SMALL)
        kept = pdf._stylesheet(pdf.PRINT_CSS)
        pdf._drop_stylesheets()
        return first, second, kept

    first, second, kept = in_thread(two_renders)
    assert first.pages == second.pages == 1
    assert len(made) == 1 and kept[1] is made[0]  # one font configuration for both renders
    other = in_thread(lambda: (pdf.html_pdf(SMALL), pdf._stylesheet(pdf.PRINT_CSS))[1])
    assert len(made) == 2 and other[1] is made[1]  # another thread has its own (Pango's is not shared)


def order_of(plan, world):
    order = services.order_create(plan=plan, actor=world.coordinator)
    return order_context(order, document_id=uuid.UUID(int=1), certificate=None)


def test_the_template_prints_the_prepared_context_without_a_query(world, submitted_plan, django_assert_num_queries):
    context = order_of(submitted_plan, world)
    with django_assert_num_queries(0):
        html = render_to_string("reports/pdf/order.html", context)
    assert html.count('<tr class="activity">') == 3


def test_the_appendix_table_has_a_fixed_layout_with_the_widths_of_its_columns(world, submitted_plan):
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TableBox

    context = order_of(submitted_plan, world)
    css, fonts = pdf._stylesheet(pdf.PRINT_CSS)
    html = render_to_string("reports/pdf/order.html", context)
    document = HTML(string=html, base_url=str(pdf.STATIC) + "/").render(stylesheets=[css], font_config=fonts)
    tables = [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TableBox) and "plan" in (box.element.get("class") or "").split()
    ]
    assert tables, "no appendix table"
    table = tables[0]
    assert table.style["table_layout"] == "fixed"
    wanted = [float(column["width"]) / 100 * table.width for column in context["columns"]]
    assert table.column_widths == pytest.approx(wanted, abs=0.5)
