"""Importing a published list of schools with признаки необъективности from .xlsx.

The list comes as Рособрнадзор or the region publishes it: a row per school (or per school and
subject) with its ФИС ОКО login and/or name, subjects and grades, in columns found by their
headings. Each school is matched within the importer's municipality (or region): by login; else
by name — an exact name is a match, a close one is *doubtful* and waits for the user to pick
the school in the preview; a row of another municipality's school is skipped without saying
whether it exists. Nothing is written until the user confirms, and then all in one transaction
(the shape of vprplan.importing).
"""

import difflib
import re
from dataclasses import asdict, dataclass, field

from schools import spreadsheet as cells
from schools.models import Organization
from schools.selectors import area_schools, can_edit_flags
from schools.services import flag_record, flags_changed
from schools.spreadsheet import read_workbook
from vprplan.errors import DomainError
from vprplan.importing import ImportPreview, ImportRejected, commit_import

HEADINGS = {
    "login": ("логин", "логин оо", "логин фис око", "логин в фис око", "код оо в фис око"),
    "name": (
        "наименование оо", "оо", "образовательная организация", "наименование", "полное наименование оо",
        "название оо", "наименование образовательной организации", "школа",
    ),
    "municipality": ("муниципалитет", "муниципальное образование", "мо", "район", "муниципальный район", "ату"),
    "subjects": ("предмет", "предметы", "учебный предмет", "учебные предметы"),
    "grades": ("класс", "классы", "параллель", "параллели"),
    "markers": ("маркеры", "признаки", "признаки необъективности", "критерии", "основание", "примечание"),
}  # fmt: skip
LONG_FORMS = {
    "муниципальное бюджетное общеобразовательное учреждение": "мбоу",
    "муниципальное казенное общеобразовательное учреждение": "мкоу",
    "муниципальное автономное общеобразовательное учреждение": "маоу",
    "муниципальное общеобразовательное учреждение": "моу",
    "средняя общеобразовательная школа": "сош",
    "основная общеобразовательная школа": "оош",
    "начальная общеобразовательная школа": "нош",
    "с углубленным изучением отдельных предметов": "уиоп",
    "средняя школа": "сош",
    "основная школа": "оош",
    "начальная школа": "нош",
}
# Legal forms, «№», and the г./с./п. before a place name say nothing about which school it is.
NOISE = re.compile(r"(?<!\w)(мбоу|мкоу|маоу|моу|гбоу|гкоу|гаоу|чоу|мбу|оо|№|г|с|п|пгт)(?!\w)")
SURE, DOUBT = 0.97, 0.6


@dataclass
class FlagRow:
    number: int
    label: str
    login: str = ""
    municipality: str = ""
    subjects: list[str] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    match: str = "none"  # login, name, doubtful, none
    school_id: int | None = None
    school_name: str = ""
    candidates: list[tuple[int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # none yet: an unmatched row is skipped

    @property
    def action(self) -> str:
        return self.match

    @property
    def key(self) -> str:
        return f"row-{self.number}"

    @property
    def match_label(self) -> str:
        return {
            "login": "по логину ФИС ОКО",
            "name": "по наименованию",
            "doubtful": "сомнительно: выберите ОО",
            "none": "не найдена среди ваших ОО — пропущена",
        }[self.match]


def read_flag_list(content: bytes) -> list[dict]:
    """The rows of the list, one per school (rows of the same school merged), as dicts for the
    session. Raises DomainError with a Russian message for a file that is not such a list."""
    for _title, rows in read_workbook(content):
        for at, (_n, row) in enumerate(rows[:30]):
            columns = _columns(row)
            if "name" in columns or "login" in columns:
                return [asdict(r) for r in _rows(rows[at + 1 :], columns)]
    raise ImportRejected(
        "В файле не найдена строка заголовков: нужен столбец «Логин ОО» (логин ФИС ОКО) или "
        "«Наименование ОО»; желательно также «Предмет» и «Класс»."
    )


def _columns(row: list) -> dict[str, int]:
    found = {}
    for j, value in enumerate(row):
        k = cells.key(value)
        for role, names in HEADINGS.items():
            if k in names and role not in found:
                found[role] = j
    return found


def _split(value) -> list[str]:
    return [p.strip() for p in re.split(r"[,;/\n]+", cells.text(value)) if p.strip()]


def _rows(rows: list[tuple[int, list]], columns: dict[str, int]) -> list[FlagRow]:
    merged: dict[str, FlagRow] = {}

    def get(row, role):
        j = columns.get(role)
        return row[j] if j is not None and j < len(row) else None

    for number, row in rows:
        label = cells.text(get(row, "name"))
        login, name = cells.split_login(label)
        login = cells.text(get(row, "login")).lower() or login
        if not (name or login):
            continue
        ident = login or cells.key(name)
        item = merged.setdefault(ident, FlagRow(number=number, label=name or login, login=login))
        item.municipality = item.municipality or cells.text(get(row, "municipality"))
        for subject in _split(get(row, "subjects")):
            subject = cells.canonical_subject(subject)
            if subject not in item.subjects:
                item.subjects.append(subject)
        for grade in _split(get(row, "grades")):
            grade = re.sub(r"\D", "", grade)
            if not (grade and len(grade) <= 2 and 1 <= int(grade) <= 11):  # «5», «10»; never 5,000 digits
                continue
            if grade not in item.grades:
                item.grades.append(grade)
        note = cells.text(get(row, "markers"))
        if note and note not in item.markers:
            item.markers.append(note)
    return list(merged.values())


def core(name: str) -> str:
    """A school's name reduced for comparison: abbreviations for long forms, no legal form."""
    found = cells.key(name)
    for long, short in LONG_FORMS.items():
        found = found.replace(long, short)
    return re.sub(r"\s+", " ", NOISE.sub(" ", found)).strip()


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def match_rows(rows: list[dict], area: Organization) -> list[FlagRow]:
    """Each row's school in `area`: by login, by exact name, or doubtful candidates."""
    schools = list(area_schools(area))
    by_login = {s.fis_oko_login.lower(): s for s in schools if s.fis_oko_login}
    cores = [(s, {core(s.name), core(s.short_name or s.name)}) for s in schools]
    found = []
    for data in rows:
        row = FlagRow(**{**data, "candidates": []})
        school = by_login.get(row.login) if row.login else None
        if school is not None:
            row.match, row.school_id, row.school_name = "login", school.pk, str(school)
            found.append(row)
            continue
        wanted = core(row.label)
        scored = []
        for s, names in cores:
            if row.login and s.fis_oko_login and s.fis_oko_login.lower() != row.login:
                continue  # a different login is a different school
            best = max(
                (
                    difflib.SequenceMatcher(None, wanted, n).ratio()
                    for n in names
                    if _numbers(n) == _numbers(wanted)
                ),
                default=0.0,
            )
            if best >= DOUBT:
                scored.append((best, s))
        scored.sort(key=lambda p: (-p[0], p[1].name))
        if scored and scored[0][0] >= SURE and not row.login and (len(scored) == 1 or scored[1][0] < SURE):
            row.match, row.school_id, row.school_name = "name", scored[0][1].pk, str(scored[0][1])
        elif scored:
            row.match, row.candidates = "doubtful", [(s.pk, str(s)) for _r, s in scored[:3]]
        found.append(row)
    return found


@dataclass
class FlagPreview(ImportPreview):
    """The rows of a list matched to the schools of an area; `counts` once written."""

    counts: dict[str, int] = field(default_factory=dict)


def flags_import(
    *, area: Organization, actor, year: int, source: str, rows: list[dict], choices: dict[str, int]
) -> dict[str, int]:
    """Write the flags of the matched schools and of the doubtful rows the user resolved in
    `choices` ({row key: school id}); everything or nothing. Returns the counts."""
    if not can_edit_flags(actor, area):
        raise DomainError("Перечень загружает муниципальный координатор ВПР или региональный администратор.")

    def write(report: FlagPreview) -> tuple[Organization, dict]:
        report.counts = _write(report.rows, actor=actor, year=year, source=source, choices=choices)
        return area, {"organization": area, "year": year, "source": source, **report.counts}

    report = commit_import(
        actor=actor,
        action="flag.imported",
        preview=lambda: FlagPreview(rows=match_rows(rows, area)),
        write=write,
    )
    return report.counts


def _write(
    matched: list[FlagRow], *, actor, year: int, source: str, choices: dict[str, int]
) -> dict[str, int]:
    allowed = {s for r in matched for s, _n in r.candidates}
    counts = {"created": 0, "updated": 0, "same": 0, "skipped": 0}
    created: list[int] = []
    schools = Organization.objects.in_bulk([r.school_id for r in matched if r.school_id] + list(allowed))
    for row in matched:
        school_id = row.school_id
        if row.match == "doubtful":
            chosen = choices.get(row.key)
            school_id = chosen if chosen in {s for s, _n in row.candidates} else None
        if school_id is None:
            counts["skipped"] += 1
            continue
        _flag, outcome = flag_record(
            actor=actor, school=schools[school_id], year=year, source=source, subjects=row.subjects,
            grades=row.grades, markers="\n".join(row.markers), resync=False,
        )  # fmt: skip
        counts[outcome] += 1
        if outcome == "created":
            created.append(school_id)
    if not (counts["created"] or counts["updated"] or counts["same"]):
        raise DomainError("Ни одна строка перечня не сопоставлена с вашими ОО: ничего не загружено.")
    if created:
        flags_changed(school_ids=created, year=year, actor=actor)
    return counts
