"""Print layout shared by the project's .xlsx exports: A4 with ГОСТ margins (left 30, right 10,
top and bottom 20 mm), the header row repeated on every page, page numbers in the footer, the
sheet fitted to the page's width, and row heights that fit the wrapped text.

Neither Excel nor LibreOffice grows a row whose height the file does not give when the file is
printed as it is, so wrapped text would overlap the next row: the heights are estimated here from
the text, the column widths and the font size (a little generously: a row a line too tall is
harmless, a row a line too short hides text).
"""

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

MM_PER_INCH = 25.4
GOST_MARGINS = PageMargins(
    left=30 / MM_PER_INCH,
    right=10 / MM_PER_INCH,
    top=20 / MM_PER_INCH,
    bottom=20 / MM_PER_INCH,
    header=8 / MM_PER_INCH,
    footer=8 / MM_PER_INCH,
)
DEFAULT_WIDTH = 8.43  # Excel's default column width, in widths of «0» of the default font
DEFAULT_SIZE = 11
# Characters of running Times New Roman text per unit of column width at 11 pt: measured in
# LibreOffice's PDF (1 unit ≈ 1.83 mm, a character of 12 pt text ≈ 0.36 em), less 12 % to spare.
CHARS_PER_UNIT = 1.15
BOLD_FACTOR = 0.9
# Fonts LibreOffice draws with their own metrics (Liberation): others (Calibri without Carlito)
# fall back to DejaVu Sans, which runs about a fifth wider.
NARROW_FONTS = {"Times New Roman", "Liberation Serif", "Arial", "Liberation Sans"}
OTHER_FONT_FACTOR = 0.8
LINE_FACTOR = 1.2  # line height / font size, as LibreOffice lays out these fonts
PADDING_PT = 4


PORTRAIT_UNITS = 95  # about the 170 mm of a portrait page's text at 11 pt


def table_units(ws) -> float:
    """The width of the used columns, in column-width units."""
    total = 0.0
    for col in range(1, (ws.max_column or 1) + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        total += dim.width if dim is not None and dim.width else DEFAULT_WIDTH
    return total


def print_layout(ws, *, title_rows: str | None = None, landscape: bool | None = None) -> None:
    """A4, ГОСТ margins, fitted to the page's width (as many pages down as needed), `title_rows`
    («4:4») repeated at the top of every page, «page N of M» centred in the footer. Landscape
    when asked, or when None and the table is wider than a portrait page."""
    if landscape is None:
        landscape = table_units(ws) > PORTRAIT_UNITS
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(
        left=GOST_MARGINS.left,
        right=GOST_MARGINS.right,
        top=GOST_MARGINS.top,
        bottom=GOST_MARGINS.bottom,
        header=GOST_MARGINS.header,
        footer=GOST_MARGINS.footer,
    )
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "Страница &P из &N"
    ws.oddFooter.center.size = 9
    ws.evenFooter.center.text = "Страница &P из &N"
    ws.evenFooter.center.size = 9


def _lines(text: str, chars: float) -> int:
    """How many lines `text` takes wrapped at `chars` characters, word by word."""
    chars = max(1.0, chars)
    count = 0
    for paragraph in str(text).split("\n"):
        line, lines = 0.0, 1
        for word in paragraph.split():
            length = len(word)
            if line and line + 1 + length > chars:
                lines += 1
                line = 0.0
            while length > chars:  # a word longer than the line breaks anywhere
                lines += 1
                length -= chars
            line += (1 if line else 0) + length
        count += lines
    return count


def fit_row_heights(ws, *, first_row: int = 1, last_row: int | None = None) -> None:
    """Give every row from `first_row` to `last_row` the height its wrapped text needs."""
    widths = {}

    def width(col: int) -> float:
        if col not in widths:
            dim = ws.column_dimensions.get(get_column_letter(col))
            widths[col] = dim.width if dim is not None and dim.width else DEFAULT_WIDTH
        return widths[col]

    spans = {}
    covered = set()
    for rng in ws.merged_cells.ranges:
        if rng.min_row == rng.max_row:
            spans[(rng.min_row, rng.min_col)] = (rng.min_col, rng.max_col)
            covered.update((rng.min_row, c) for c in range(rng.min_col + 1, rng.max_col + 1))
    last_row = last_row or ws.max_row
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        height = 0.0
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in covered:
                continue
            first, last = spans.get((cell.row, cell.column), (cell.column, cell.column))
            units = sum(width(c) for c in range(first, last + 1))
            size = float(cell.font.sz or DEFAULT_SIZE) if cell.font else DEFAULT_SIZE
            chars = units * CHARS_PER_UNIT * DEFAULT_SIZE / size * (BOLD_FACTOR if cell.font.b else 1)
            if cell.font.name not in NARROW_FONTS:
                chars *= OTHER_FONT_FACTOR
            wrap = bool(cell.alignment and cell.alignment.wrap_text)
            lines = _lines(cell.value, chars) if wrap else str(cell.value).count("\n") + 1
            height = max(height, lines * size * LINE_FACTOR + PADDING_PT)
        if height:
            ws.row_dimensions[row[0].row].height = round(max(height, 15.0), 1)
