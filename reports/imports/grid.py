"""The cells and grids every plan reader returns (readers.py for .csv, docx_reader.py, xlsx_reader.py)
and the bounds they keep: the readers depend on this module, and readers.py on the readers.
"""

import re
from dataclasses import dataclass, field

from vprplan.text import clean_text as stored_text

MAX_ROWS = 5000
MAX_COLUMNS = 60
# Spreadsheets saved by LibreOffice may carry a million empty rows: stop after this many in a row.
EMPTY_ROWS_TO_STOP = 200


@dataclass
class Cell:
    text: str = ""
    bold: bool = False
    span: int = 1  # how many grid columns this cell covers (a horizontal merge)
    covered: bool = False  # covered by a merged cell to its left
    from_above: bool = False  # the lower part of a vertically merged cell (text repeated)


@dataclass
class Grid:
    """One table of the file: rows of cells padded to the same width, with what stands above."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)  # as the user sees them (sheet row, line)
    before: list[str] = field(default_factory=list)  # paragraphs or lines above the table
    formula_cells: list[str] = field(default_factory=list)  # "C5"… (Excel only)


@dataclass
class SourceDocument:
    format: str  # docx | xlsx | csv
    grids: list[Grid]


def clean_text(value: str) -> str:
    """Cell text with Windows line ends, non-breaking and repeated spaces tidied, lines stripped,
    control characters removed (vprplan.text.clean_text, the rule for every text stored)."""
    value = stored_text(value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u200b", "")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in value.split("\n")]
    return "\n".join(line for line in lines if line)


def pad(grid: Grid) -> Grid:
    """Cut trailing empty rows and make every row as wide as the widest."""
    while grid.rows and not any(c.text for c in grid.rows[-1]):
        grid.rows.pop()
        grid.row_numbers.pop()
    width = max((len(r) for r in grid.rows), default=0)
    for row in grid.rows:
        row.extend(Cell() for _ in range(width - len(row)))
    return grid
