"""Importing ФИС ОКО statistics into VprResult: match each row's organisation within the
importer's municipality or region, preview what changes, and write all or nothing (the shape of
vprplan.importing: the reader is results.importing.reader).

Matching: a school by its ФИС ОКО login («(sch243012) …» or a «Логин» column), else by its full
or short name; the region and the municipality by name. Rows of other municipalities' schools
are skipped without saying whether such a school exists. The region's row is the reference of
every municipality's markers: a municipality's import adds it when missing and never overwrites
it (a regional administrator's import does).
"""

from dataclasses import asdict, dataclass, field

from django.utils import timezone

from results.choices import ResultKind
from results.importing.reader import SKIP_LABELS, ParsedRow
from results.models import VprResult
from schools import spreadsheet as cells
from schools.choices import OrgKind
from schools.models import Organization
from vprplan import access
from vprplan.errors import DomainError
from vprplan.importing import ImportPreview, commit_import

ACTIONS = {
    "new": "добавится",
    "update": "изменится",
    "same": "без изменений",
    "skip": "пропущена",
    "error": "ошибка",
}
# Counts of one school's participants: far below PositiveIntegerField's limit (a negative or huge
# number in the file is an error of its row, never a database error on writing).
MAX_COUNT = 1_000_000
KIND_FIELDS = {
    ResultKind.MARKS: ("marks_2", "marks_3", "marks_4", "marks_5"),
    ResultKind.SCORES: ("scores",),
    ResultKind.JOURNAL: ("lowered", "confirmed", "raised"),
}


@dataclass
class PreviewRow:
    sheet: str
    number: int
    label: str
    kind: str
    year: int | None
    subject: str
    grade: int | None
    participants: int | None
    values: list[int]
    action: str = ""  # decided by the matching and the comparison with what is stored
    org_id: int | None = None
    org_name: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return ResultKind(self.kind).label

    @property
    def action_label(self) -> str:
        return ACTIONS[self.action]

    def fields(self) -> dict:
        """The VprResult fields this row sets."""
        if self.kind == ResultKind.SCORES:
            return {"scores": list(self.values)}
        values = dict(zip(KIND_FIELDS[self.kind], self.values, strict=True))
        if self.kind == ResultKind.MARKS:
            values["participants"] = self.participants or sum(self.values)
        return values


@dataclass
class ImportReport(ImportPreview):
    """The preview of a results file: its rows (PreviewRow) and the results they would change."""

    existing: dict[tuple, VprResult] = field(default_factory=dict, repr=False)

    @property
    def summary(self) -> dict:
        return {a: self.count(a) for a in ACTIONS}


class Matcher:
    """The organisations an import in `area` may write: its schools, its municipalities, its region."""

    def __init__(self, area: Organization):
        self.area = area
        region_id = area.pk if area.kind == OrgKind.REGION else area.region_id
        scope = {"region_id": region_id} if area.kind == OrgKind.REGION else {"municipality_id": area.pk}
        self.schools = list(Organization.objects.schools().filter(**scope))
        munis = [area] if area.kind == OrgKind.MUNICIPALITY else list(
            Organization.objects.municipalities().filter(region_id=region_id)
        )  # fmt: skip
        self.region = area if area.kind == OrgKind.REGION else Organization.objects.get(pk=region_id)
        self.by_login = {s.fis_oko_login.lower(): s for s in self.schools if s.fis_oko_login}
        self.by_name: dict[str, Organization] = {}
        for org in [self.region, *munis, *self.schools]:
            for name in (org.name, org.short_name):
                if name:
                    self.by_name.setdefault(cells.key(name), org)

    def find(self, login: str, label: str) -> Organization | None:
        if login:
            return self.by_login.get(login.lower())
        return self.by_name.get(cells.key(label))


def results_import(
    *, area: Organization, actor, rows: list[dict], commit: bool, filename: str = ""
) -> ImportReport:
    """Check (and with `commit`, write) parsed rows (results.importing.reader, as dicts) for the
    organisations of `area`. With any row in error nothing is written."""
    if not Organization.objects.filter(access.managed_q(actor, roles_=access.EDIT_FLAGS), pk=area.pk).exists():
        raise DomainError(
            "Результаты ВПР загружает муниципальный координатор ВПР или региональный администратор."
        )
    if not commit:
        return _check(area, rows)

    def write(report: ImportReport) -> tuple[Organization, dict]:
        _write(report.rows, report.existing)
        details = {
            "new": report.count("new"),
            "updated": report.count("update"),
            "skipped": report.count("skip"),
        }
        return area, {"organization": area, "file": filename, **details}

    return commit_import(
        actor=actor, action="results.imported", preview=lambda: _check(area, rows), write=write
    )


def _check(area: Organization, rows: list[dict]) -> ImportReport:
    """Each row matched to an organisation of `area` and compared with what is stored."""
    matcher = Matcher(area)
    report = ImportReport(
        rows=[PreviewRow(**{k: r[k] for k in PreviewRow.__dataclass_fields__ if k in r}) for r in rows]
    )
    for row, source in zip(report.rows, rows, strict=True):
        row.errors = list(source.get("errors", []))
        _match(row, source.get("login", ""), matcher)
    report.existing = _existing(report.rows)
    seen: dict[tuple, int] = {}
    for row in report.rows:
        if not row.action and row.org_id is not None:
            key = (row.org_id, row.year, row.subject, row.grade, row.kind)
            if key in seen:
                row.action, row.errors = (
                    "error",
                    [f"Повтор: те же ОО, предмет, класс и год — в строке {seen[key]}."],
                )
                continue
            seen[key] = row.number
            _decide(row, report.existing.get((row.org_id, row.year, row.subject, row.grade)), matcher)
    return report


def _match(row: PreviewRow, login: str, matcher: Matcher) -> None:
    if row.errors:
        row.action = "error"
        return
    if not 2015 <= (row.year or 0) <= 2100 or not 2 <= (row.grade or 0) <= 11:
        row.action, row.errors = "error", [f"Неверный год ({row.year}) или класс ({row.grade})."]
        return
    if cells.key(row.label) in SKIP_LABELS:
        row.action, row.notes = "skip", ["Итог по всей выборке: не загружается."]
        return
    org = matcher.find(login, row.label)
    if org is None:
        where = matcher.area.name
        what = f"ОО с логином {login}" if login else f"«{row.label}»"
        row.action, row.notes = "skip", [f"{what} нет среди организаций: {where}. Строка пропущена."]
        return
    counts = [row.participants or 0, *(v for v in row.values if v is not None)]
    if any(not isinstance(v, int) or not 0 <= v <= MAX_COUNT for v in counts):
        row.action, row.errors = (
            "error",
            [f"Число участников и значения — от 0 до {MAX_COUNT:,}.".replace(",", " ")],
        )
        return
    row.org_id, row.org_name = org.pk, str(org)


def _existing(rows: list[PreviewRow]) -> dict[tuple, VprResult]:
    ids = {r.org_id for r in rows if r.org_id is not None}
    if not ids:
        return {}
    years = {r.year for r in rows if r.org_id is not None}
    return {
        (v.organization_id, v.year, v.subject, v.grade): v
        for v in VprResult.objects.filter(organization_id__in=ids, year__in=years)
    }


def _decide(row: PreviewRow, current: VprResult | None, matcher: Matcher) -> None:
    if current is None:
        row.action = "new"
        return
    wanted = row.fields()
    same = all(getattr(current, name) == value for name, value in wanted.items())
    has_kind = any(getattr(current, name) not in (None, []) for name in KIND_FIELDS[row.kind])
    if same:
        row.action = "same"
    elif row.org_id == matcher.region.pk and matcher.area.kind != OrgKind.REGION and has_kind:
        row.action = "skip"
        row.notes.append(
            "Данные региона уже загружены и отличаются от этого файла: оставлены прежние "
            "(их меняет региональный администратор)."
        )
    else:
        row.action = "update"
    if row.kind == ResultKind.SCORES and current.participants and sum(row.values) != current.participants:
        row.notes.append(
            f"Участников по распределению баллов {sum(row.values)}, по отметкам {current.participants}."
        )


def _write(rows: list[PreviewRow], existing: dict[tuple, VprResult]) -> None:
    created: dict[tuple, VprResult] = {}
    changed: dict[int, VprResult] = {}
    for row in rows:
        if row.action not in ("new", "update"):
            continue
        key = (row.org_id, row.year, row.subject, row.grade)
        result = existing.get(key) or created.get(key)
        if result is None:
            result = created[key] = VprResult(
                organization_id=row.org_id, year=row.year, subject=row.subject, grade=row.grade
            )
        for name, value in row.fields().items():
            setattr(result, name, value)
        if not result.participants and row.participants:
            result.participants = row.participants
        if result.pk:
            changed[result.pk] = result
    VprResult.objects.bulk_create(created.values(), batch_size=1000)
    fields = ["participants", *(f for group in KIND_FIELDS.values() for f in group), "updated_at"]
    now = timezone.now()
    for result in changed.values():
        result.updated_at = now
    VprResult.objects.bulk_update(changed.values(), fields, batch_size=1000)


def serialise(rows: list[ParsedRow]) -> list[dict]:
    """Parsed rows as the session keeps them between the preview and the confirmation."""
    return [asdict(r) for r in rows]
