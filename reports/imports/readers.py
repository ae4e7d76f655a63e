"""Reading .docx, .xlsx and .csv files into grids of cells that keep bold text and merges.

Everything here works on untrusted bytes: any failure becomes an ImportFileError with a Russian
message, never a traceback. The file type is told by its content, not by its name.
"""

import csv
import io
import re
import zipfile

from django.conf import settings

from reports.imports import docx_reader, xlsx_reader
from reports.imports.errors import ImportFileError
from reports.imports.grid import MAX_COLUMNS, MAX_ROWS, Cell, Grid, SourceDocument, clean_text, pad
from vprplan.importing import ImportRejected, check_size
from vprplan.uploads import UploadRejected, check_archive

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUPPORTED = "Поддерживаются документы Word (.docx), таблицы Excel (.xlsx) и файлы CSV."


def max_upload_bytes() -> int:
    return int(getattr(settings, "PLAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_document(data: bytes, filename: str = "") -> SourceDocument:
    """The grids of `data`, or ImportFileError saying why the file cannot be read."""
    try:
        check_size(data, max_bytes=max_upload_bytes())
    except ImportRejected as exc:
        raise ImportFileError(str(exc)) from exc
    try:
        if data.startswith(OLE_MAGIC):
            raise ImportFileError(_ole_message(data, filename))
        if data.startswith(b"PK"):
            return _read_zip(data, filename)
        if filename.lower().endswith((".docx", ".xlsx", ".doc", ".xls", ".pdf", ".odt", ".ods", ".rtf")):
            raise ImportFileError(f"Файл «{filename}» повреждён или это не документ этого типа. {SUPPORTED}")
        return SourceDocument("csv", [_read_csv(data)])
    except ImportFileError:
        raise
    except Exception as exc:  # untrusted input: whatever the parsers trip on is a damaged file
        raise ImportFileError(
            "Файл повреждён, и прочитать его не удалось. Откройте его в Word или Excel, "
            "сохраните заново и загрузите ещё раз."
        ) from exc


def _ole_message(data: bytes, filename: str) -> str:
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "Файл защищён паролем. Снимите пароль (Файл → Сведения → Защита) и загрузите файл снова."
    return (
        "Это файл старого формата (.doc или .xls). Сохраните его в Word или Excel как .docx или "
        ".xlsx и загрузите снова."
    )


def _read_zip(data: bytes, filename: str) -> SourceDocument:
    try:
        # The checks every upload gets (a zip bomb, paths out of the archive), for the command too.
        check_archive(data, name=filename)
    except UploadRejected as exc:
        raise ImportFileError(str(exc)) from exc
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise ImportFileError("Файл повреждён: это не документ Word и не таблица Excel.") from exc
    if "word/document.xml" in names:
        return SourceDocument("docx", docx_reader.read_docx(data))
    if "xl/workbook.xml" in names:
        return SourceDocument("xlsx", xlsx_reader.read_xlsx(data))
    if "content.xml" in names:
        raise ImportFileError("Это документ OpenDocument (.odt/.ods): сохраните его как .docx или .xlsx.")
    raise ImportFileError(f"Это архив, а не документ. {SUPPORTED}")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1251")
            except UnicodeDecodeError as exc:
                raise ImportFileError(f"Файл не похож на документ. {SUPPORTED}") from exc
    # A binary file decodes as cp1251 too; real text has almost no control characters.
    controls = len(re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text))
    if "\x00" in text or controls > max(3, len(text) // 200):
        raise ImportFileError(f"Файл не похож на документ. {SUPPORTED}")
    return text


def _delimiter(text: str) -> str:
    head = [line for line in text.splitlines()[:30] if line.strip()]
    semicolons = sum(line.count(";") for line in head)
    commas = sum(line.count(",") for line in head)
    tabs = sum(line.count("\t") for line in head)
    best = max((semicolons, ";"), (commas, ","), (tabs, "\t"))
    return best[1] if best[0] else ";"


def _read_csv(data: bytes) -> Grid:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    grid = Grid(name="CSV")
    try:
        for line_no, values in enumerate(reader, start=1):
            if len(grid.rows) >= MAX_ROWS:
                raise ImportFileError(f"В файле больше {MAX_ROWS} строк: это не план мероприятий.")
            grid.rows.append([Cell(text=clean_text(v)) for v in values[:MAX_COLUMNS]])
            grid.row_numbers.append(reader.line_num if reader.line_num else line_no)
    except csv.Error as exc:
        raise ImportFileError(f"Файл CSV повреждён: {exc}.") from exc
    return pad(grid)
