"""A Word document (.docx) as grids: every table with the paragraphs above it.

Merges are read from the XML (gridSpan, vMerge) because python-docx's `row.cells` repeats a
merged cell and hides which cell started the merge. A cell's paragraphs are joined with "\n".
"""

import io

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from reports.imports.errors import ImportFileError
from reports.imports.grid import MAX_COLUMNS, MAX_ROWS, Cell, Grid, clean_text, pad

P, TBL, SDT, SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")


def read_docx(data: bytes) -> list[Grid]:
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    bold_of = StyleBold(document)
    grids: list[Grid] = []
    before: list[str] = []
    for element in _blocks(body):
        if element.tag == P:
            before.append(clean_text(Paragraph(element, document._body).text))
        elif element.tag == TBL:
            grid = _read_table(
                Table(element, document._body), name=f"таблица {len(grids) + 1}", bold_of=bold_of
            )
            grid.before = before
            grids.append(grid)
            before = []
    if not grids:
        raise ImportFileError("В документе нет таблицы: план мероприятий должен быть таблицей.")
    return grids


def _blocks(parent):
    """Paragraphs and tables in document order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (P, TBL):
            yield child


def _read_table(table: Table, *, name: str, bold_of: "StyleBold") -> Grid:
    grid = Grid(name=name)
    above: dict[int, Cell] = {}  # the last cell that started in each grid column
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        if len(grid.rows) >= MAX_ROWS:
            raise ImportFileError(f"В таблице больше {MAX_ROWS} строк: это не план мероприятий.")
        row: list[Cell] = [Cell() for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            span = max(1, min(tc.grid_span, MAX_COLUMNS))
            col = len(row)
            if tc.vMerge == "continue" and col in above:
                # The lower part of a vertically merged cell: it repeats the text above.
                origin = above[col]
                cell = Cell(text=origin.text, bold=origin.bold, span=span)
                cell.from_above = True
            else:
                cell = _read_cell(_Cell(tc, table), span, bold_of)
                above[col] = cell
            row.append(cell)
            row.extend(Cell(covered=True) for _ in range(span - 1))
            if len(row) > MAX_COLUMNS:
                raise ImportFileError(f"В таблице больше {MAX_COLUMNS} столбцов: это не план мероприятий.")
        grid.rows.append(row)
        grid.row_numbers.append(index)
    return pad(grid)


def _read_cell(cell: _Cell, span: int, bold_of: "StyleBold") -> Cell:
    texts, bold_flags = [], []
    for paragraph in cell.paragraphs:
        texts.append(paragraph.text)
        style_bold = bold_of.paragraph(paragraph._p.style)
        for run in paragraph.runs:
            if run.text.strip():
                bold = run.bold
                if bold is None:
                    bold = bold_of.character(run._r.style)
                bold_flags.append(bool(style_bold if bold is None else bold))
    text = clean_text("\n".join(texts))
    return Cell(text=text, bold=bool(text) and bool(bold_flags) and all(bold_flags), span=span)


class StyleBold:
    """Whether a style id makes text bold, following base styles, worked out once per style.

    python-docx's `paragraph.style` looks the default style up by scanning every style of the
    document on each call: a 150-row table spent ten seconds there.
    """

    def __init__(self, document):
        self._styles = {s.style_id: s for s in document.styles}
        self._default_paragraph = next(
            (s for s in document.styles if s.type == 1 and getattr(s._element, "default", False)), None
        )
        self._cache: dict[str | None, bool | None] = {}

    def paragraph(self, style_id: str | None) -> bool | None:
        return self._bold(style_id, self._default_paragraph)

    def character(self, style_id: str | None) -> bool | None:
        return self._bold(style_id, None) if style_id else None

    def _bold(self, style_id: str | None, default) -> bool | None:
        if style_id not in self._cache:
            style = self._styles.get(style_id, default) if style_id else default
            self._cache[style_id] = _style_bold(style)
        return self._cache[style_id]


def _style_bold(style) -> bool | None:
    seen = 0
    while style is not None and seen < 10:
        if style.font.bold is not None:
            return style.font.bold
        style = style.base_style
        seen += 1
    return None
