"""The demo's VPR results (called by portal.demo_today): last spring's ФИС ОКО statistics of the
Inta schools and of the region, loaded through the results import as a coordinator loads them, with
numbers that make the markers fire where a coordinator should look (СОШ № 5: results far above the
region's, few «понизили» and many «повысили», a peak at the least score of «3»; Гимназия № 3: above
the region and the journal; Абезь: a sharp rise of «2»); and the flags the coordinator recorded
from those markers, dated a few days before the demo's day so that the plan's «в случае выявления
признаков необъективности…» rows have dates around it.

Idempotent: a year already loaded is not imported again, a flag already recorded is kept.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from results.choices import ResultKind
from results.importing.service import results_import
from results.models import GradingScale, VprResult
from results.services import flag_from_markers
from schools.choices import FlagSource
from schools.models import UnobjectivityFlag
from vprplan.upsert import upsert

RUS4, MAT4, RUS5 = ("Русский язык", 4), ("Математика", 4), ("Русский язык", 5)
REGION = {RUS4: (900, 3600, 3300, 1100), MAT4: (700, 4300, 2900, 1100), RUS5: (1700, 3800, 2500, 700)}
# The region's primary scores of «Математика, 4 класс» (0…20 points).
REGION_SCORES = [
    20,
    40,
    80,
    150,
    260,
    350,
    430,
    520,
    600,
    660,
    700,
    720,
    720,
    700,
    660,
    600,
    520,
    430,
    320,
    200,
    120,
]
MAT4_SCALE = {"max_score": 20, "min_3": 6, "min_4": 10, "min_5": 15}
# school → {work: («2», «3», «4», «5»)} of last spring; journal comparisons: (понизили, подтвердили, повысили)
MARKS = {
    "inta-sosh-5": {RUS4: (3, 20, 19, 9), MAT4: (1, 14, 20, 17), RUS5: (2, 11, 9, 4)},
    "inta-sosh-6": {RUS4: (5, 22, 17, 6), MAT4: (4, 24, 16, 5)},
    "inta-sosh-8": {RUS4: (4, 18, 15, 5), MAT4: (3, 20, 13, 4)},
    "inta-sosh-10": {RUS4: (6, 19, 14, 4), MAT4: (5, 21, 12, 3)},
    "inta-sosh-abez": {RUS4: (7, 9, 4, 1)},
    "inta-sosh-petrun": {RUS4: (1, 4, 2, 1)},
    "inta-lyceum-1": {RUS4: (1, 12, 20, 13), MAT4: (1, 14, 19, 12)},
    "inta-gymnasium-2": {RUS4: (2, 14, 18, 10), MAT4: (2, 16, 17, 9)},
    "inta-gymnasium-3": {RUS4: (0, 6, 11, 8)},
}
JOURNAL = {
    ("inta-sosh-5", MAT4): (1, 36, 15),
    ("inta-sosh-5", RUS4): (8, 40, 3),
    ("inta-gymnasium-3", RUS4): (0, 21, 4),
    ("inta-sosh-6", RUS4): (9, 38, 3),
    ("inta-lyceum-1", RUS4): (5, 39, 2),
}
# СОШ № 5, «Математика, 4 класс»: nine pupils at 6 points, the least for «3», and none at 5.
SOSH5_MAT4_SCORES = [0, 0, 0, 0, 1, 0, 9, 2, 2, 1, 8, 3, 3, 3, 3, 6, 3, 3, 2, 2, 1]
# The year before, for the year-over-year markers.
BEFORE = {"inta-sosh-5": {RUS5: (9, 10, 6, 2)}, "inta-sosh-abez": {RUS4: (2, 10, 7, 3)}}
# The schools the coordinator flagged from their markers, and how many days before the demo's day.
FLAGGED = {"inta-sosh-5": 12, "inta-gymnasium-3": 10}


def _row(number: int, label: str, login: str, kind: str, year: int, work, values, participants=None) -> dict:
    subject, grade = work
    return {
        "sheet": "ФИС ОКО",
        "number": number,
        "label": label,
        "login": login,
        "kind": kind,
        "year": year,
        "subject": subject,
        "grade": grade,
        "participants": participants if participants is not None else sum(values),
        "values": list(values),
    }


def _rows(orgs, year: int) -> list[dict]:
    rows: list[dict] = []

    def add(label, login, kind, y, work, values, participants=None):
        rows.append(_row(len(rows) + 1, label, login, kind, y, work, values, participants))

    region = orgs["komi"].name
    for work, marks in REGION.items():
        add(region, "", ResultKind.MARKS, year, work, marks)
    add(region, "", ResultKind.SCORES, year, MAT4, REGION_SCORES, sum(REGION[MAT4]))
    for code, works in MARKS.items():
        login = orgs[code].fis_oko_login
        for work, marks in works.items():
            add(orgs[code].name, login, ResultKind.MARKS, year, work, marks)
            if (code, work) in JOURNAL:
                add(orgs[code].name, login, ResultKind.JOURNAL, year, work, JOURNAL[(code, work)])
        for work, marks in BEFORE.get(code, {}).items():
            subject, grade = work
            if VprResult.objects.filter(organization=orgs[code], year=year - 1, subject=subject, grade=grade):
                continue  # that year is loaded already (a demo of an earlier year): keep it
            add(orgs[code].name, login, ResultKind.MARKS, year - 1, work, marks)
    login = orgs["inta-sosh-5"].fis_oko_login
    add(orgs["inta-sosh-5"].name, login, ResultKind.SCORES, year, MAT4, SOSH5_MAT4_SCORES)
    return rows


def seed_results(orgs, users, *, year: int) -> int:
    """Last spring's (`year`) results of Inta, imported once; returns the rows written."""
    inta = orgs["inta"]
    upsert(GradingScale, {"year": year, "subject": MAT4[0], "grade": MAT4[1]}, MAT4_SCALE)
    if VprResult.objects.filter(organization__municipality=inta, year=year).exists():
        return 0
    report = results_import(
        area=inta, actor=users["coordinator"], rows=_rows(orgs, year), commit=True,
        filename=f"ФИС ОКО, ВПР-{year}, МО «Инта».xlsx",
    )  # fmt: skip
    return report.count("new") + report.count("update")


def seed_flags(orgs, users, *, year: int, today: date, not_before: date) -> int:
    """The coordinator's flags of `year` from the markers, recorded a few days before `today`
    (not before `not_before`, the start of the academic year); returns how many were made."""
    made = 0
    tz = ZoneInfo(orgs["komi"].timezone)
    for code, days in FLAGGED.items():
        school = orgs[code]
        if UnobjectivityFlag.objects.filter(school=school, year=year, source=FlagSource.MUNICIPAL).exists():
            continue
        flag, _ = flag_from_markers(actor=users["coordinator"], school=school, year=year)
        day = min(max(today - timedelta(days=days), not_before), today)
        stamp = datetime.combine(day, time(16), tzinfo=tz)
        UnobjectivityFlag.objects.filter(pk=flag.pk).update(created_at=stamp, updated_at=stamp)
        made += 1
    return made
