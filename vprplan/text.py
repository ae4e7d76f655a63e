"""Two rules for text, one for what the system stores and one for what it writes into files.

clean_text(value)   every text stored: control characters other than newline and tab removed
                    (CR LF and a lone CR become LF), as are lone surrogates and U+FFFE/U+FFFF,
                    which no database or XML part can hold. Applied to every CharField of every
                    form (vprplan.apps patches CharField.to_python once) and to every cell an
                    import reads.
sheet_value(value)  a value for an .xlsx cell: text cleaned as above and cut to Excel's 32,767
                    characters; text beginning with = + - @, a tab or CR is written as a
                    string cell (openpyxl would make «=…» a formula), so it is shown as typed.
docx_text(value)    text for a .docx run: cleaned as above (python-docx refuses control
                    characters with ValueError).
"""

import math
import re

from django import forms
from openpyxl.cell.rich_text import CellRichText

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_MAX = 32767


def clean_text(value: str) -> str:
    """`value` without control characters other than \\n and \\t (line ends made \\n)."""
    if not value:
        return value
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _file_text(value: str) -> str:
    return CONTROL.sub("", value.replace("\r\n", "\n"))


def sheet_value(value):
    """`value` as an .xlsx cell takes it: numbers, dates and None as they are (a float that is no
    finite number as text), text cleaned and never a formula."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if not isinstance(value, str):
        if hasattr(value, "isoformat"):
            return value
        value = str(value)
    text = _file_text(value)[:XLSX_CELL_MAX]
    if text.startswith(FORMULA_START):
        return CellRichText([text])
    return text


def docx_text(value) -> str:
    """Text python-docx can write (no control characters but \\n and \\t)."""
    return clean_text(str(value or ""))


def install_form_cleaning() -> None:
    """Make every forms.CharField (and so every ModelForm text field, the admin's included) clean
    its value with clean_text before validation: the one input rule, set once at start-up."""
    if getattr(forms.CharField.to_python, "cleans_text", False):
        return
    original = forms.CharField.to_python

    def to_python(self, value):
        value = original(self, value)
        return clean_text(value) if isinstance(value, str) else value

    to_python.cleans_text = True
    forms.CharField.to_python = to_python
