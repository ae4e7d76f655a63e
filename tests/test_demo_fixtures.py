"""Integrity checks for the demo plan fixtures (pure Python, no Django).

Each JSON file in fixtures/demo/plans/ is a verbatim transcription of the plan
table of a source text in fixtures/demo/source/.  The main check compares the
multiset of word tokens of the source table region with the multiset of word
tokens of everything transcribed from that table, so that a dropped, added or
altered word (or row) makes the test fail.
"""

import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
PLANS = DEMO / "plans"
SOURCES = DEMO / "source"

# json file -> (source file, first line of the table header, expected activity count,
#               expected activities per section)
CASES = {
    "inta-2023-2024.json": (
        "order-inta-2024-51.txt",
        "Наименование мероприятия\t",
        14,
        [4, 6, 4],
    ),
    "severo-eniseysky-2023-2024.json": (
        "plan-severo-eniseysky-2023-2024.txt",
        "№п/п\t",
        24,
        [5, 3, 6, 6, 2, 2],
    ),
    "school-107-2020.json": (
        "plan-school-107-2020.txt",
        "№ п/п\t",
        14,
        [3, 6, 3, 2],
    ),
}

OWNERS = {
    "inta-2023-2024.json": "inta",
    "severo-eniseysky-2023-2024.json": "severo-eniseysky",
    "school-107-2020.json": "school-107",
}

TOP_KEYS = {
    "owner",
    "title",
    "kind",
    "period_text",
    "period_start",
    "period_end",
    "section_numbering",
    "columns",
    "goals",
    "tasks",
    "introduction",
    "approval",
    "source_notes",
    "sections",
}
APPROVAL_KEYS = {
    "status",
    "approved_on",
    "approval_text",
    "considered_text",
    "order_number",
    "order_date",
}
SECTION_KEYS = {"source_number", "title", "activities"}
ACTIVITY_KEYS = {
    "source_number",
    "title",
    "deadline_text",
    "deadline_kind",
    "responsible_text",
    "expected_result",
    "note",
}
DEADLINE_KINDS = {
    "fixed",
    "range",
    "months",
    "recurring",
    "relative",
    "continuous",
    "manual",
}
COLUMN_KEYS = {"number", "title", "deadline", "responsible", "expected_result", "note"}
ACTIVITY_TEXT_FIELDS = (
    "source_number",
    "title",
    "deadline_text",
    "responsible_text",
    "expected_result",
    "note",
)


def strip_artefacts(text):
    text = re.sub(r"</?[a-zA-Z]+>", " ", text)
    return text.replace("**", " ").replace("\\", " ")


def tokens(text):
    return re.findall(r"[\wё]+", strip_artefacts(text).lower())


def normalise(text):
    return re.sub(r"\s+", " ", strip_artefacts(text)).strip()


def load(name):
    return json.loads((PLANS / name).read_text(encoding="utf-8"))


def source_text(name):
    return (SOURCES / CASES[name][0]).read_text(encoding="utf-8")


def table_region(name):
    text = source_text(name)
    header = CASES[name][1]
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith(header)]
    assert len(starts) == 1, f"table header {header!r} must occur exactly once in {CASES[name][0]}"
    # every one of the three tables runs to the end of its file
    return "\n".join(lines[starts[0] :]), "\n".join(lines[: starts[0]])


def transcribed_table_tokens(plan):
    out = Counter()
    for _key, label in plan["columns"]:
        out.update(tokens(label))
    for section in plan["sections"]:
        out.update(tokens(section["source_number"]))
        out.update(tokens(section["title"]))
        for act in section["activities"]:
            for field in ACTIVITY_TEXT_FIELDS:
                out.update(tokens(act[field]))
    return out


def is_date(value):
    datetime.date.fromisoformat(value)
    return True


def test_tokeniser_handles_cyrillic():
    assert tokens("<p>Ёлка **Расылка** До 113.01.2023</p>") == [
        "ёлка",
        "расылка",
        "до",
        "113",
        "01",
        "2023",
    ]


def test_all_fixture_files_present():
    assert sorted(p.name for p in PLANS.glob("*.json")) == sorted(CASES)
    for src, *_rest in CASES.values():
        assert (SOURCES / src).is_file(), src


@pytest.mark.parametrize("name", sorted(CASES))
def test_schema(name):
    plan = load(name)
    assert set(plan) == TOP_KEYS
    assert plan["owner"] == OWNERS[name]
    assert plan["kind"] in {"roadmap", "plan"}
    assert plan["section_numbering"] in {"roman", "arabic"}
    assert isinstance(plan["title"], str) and plan["title"].strip()
    assert plan["title"] == normalise(plan["title"])
    assert isinstance(plan["period_text"], str)
    start = datetime.date.fromisoformat(plan["period_start"])
    end = datetime.date.fromisoformat(plan["period_end"])
    assert start < end

    keys = [c[0] for c in plan["columns"]]
    assert all(len(c) == 2 and isinstance(c[1], str) and c[1] for c in plan["columns"])
    assert set(keys) <= COLUMN_KEYS
    assert len(keys) == len(set(keys)), "column keys must be unique"
    assert "title" in keys

    for field in ("goals", "tasks", "source_notes"):
        assert isinstance(plan[field], list)
        assert all(isinstance(s, str) and s.strip() for s in plan[field])
    assert isinstance(plan["introduction"], str)
    assert plan["source_notes"], "every plan has at least one recorded judgement call"

    approval = plan["approval"]
    assert set(approval) == APPROVAL_KEYS
    assert approval["status"] == "approved"
    for key in ("approved_on", "order_date"):
        assert approval[key] is None or is_date(approval[key])
    for key in ("approval_text", "considered_text", "order_number"):
        assert isinstance(approval[key], str)

    assert plan["sections"]
    for section in plan["sections"]:
        assert set(section) == SECTION_KEYS
        assert section["source_number"].strip()
        assert section["title"].strip()
        assert section["title"] == normalise(section["title"])
        assert section["activities"], f"section {section['source_number']} has no activities"
        for act in section["activities"]:
            assert set(act) == ACTIVITY_KEYS
            assert act["deadline_kind"] in DEADLINE_KINDS, act
            for field in ACTIVITY_TEXT_FIELDS:
                assert isinstance(act[field], str)
                assert act[field] == normalise(act[field]), (field, act[field])
            assert act["title"].strip(), act
            assert act["deadline_text"].strip(), act


@pytest.mark.parametrize("name", sorted(CASES))
def test_activity_counts(name):
    plan = load(name)
    _src, _hdr, total, per_section = CASES[name]
    counts = [len(s["activities"]) for s in plan["sections"]]
    assert counts == per_section
    assert sum(counts) == total


@pytest.mark.parametrize("name", sorted(CASES))
def test_table_tokens_match_source_exactly(name):
    plan = load(name)
    region, _before = table_region(name)
    expected = Counter(tokens(region))
    actual = transcribed_table_tokens(plan)
    missing = expected - actual
    extra = actual - expected
    assert not missing and not extra, (
        f"{name}: tokens missing from JSON: {dict(missing)}; "
        f"tokens in JSON but not in source table: {dict(extra)}"
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_title_words_come_from_source(name):
    plan = load(name)
    _region, before = table_region(name)
    available = Counter(tokens(before))
    missing = Counter(tokens(plan["title"])) - available
    assert not missing, f"{name}: title words not in source heading: {dict(missing)}"
    if plan["period_text"]:
        assert plan["period_text"].split()[0] in plan["title"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_preamble_texts_are_verbatim(name):
    plan = load(name)
    _region, before = table_region(name)
    flat = normalise(before)
    for text in plan["goals"] + plan["tasks"]:
        assert text in flat, text
    for line in plan["introduction"].split("\n") if plan["introduction"] else []:
        assert line in flat, line


def test_specific_judgement_calls():
    inta = load("inta-2023-2024.json")
    titles = [a["title"] for s in inta["sections"] for a in s["activities"]]
    assert (
        "Организация независимого общественного наблюдения за соблюдением "
        "общеобразовательными организациями требований проведения ВПР"
    ) in titles
    assert all(a["source_number"] == "" for s in inta["sections"] for a in s["activities"])
    assert inta["approval"]["approved_on"] == "2024-02-29"
    assert inta["approval"]["order_number"] == "51"

    sev = load("severo-eniseysky-2023-2024.json")
    acts = {a["source_number"]: a for s in sev["sections"] for a in s["activities"]}
    assert acts["3.6"]["expected_result"] == "Изучена программа профикактики нарушений"
    assert acts["3.6"]["responsible_text"].endswith("Горбенко ОА, заведующий ИМО РУО; руководители РМО")
    assert acts["1.1"]["deadline_text"] == "До 113.01.2023"
    assert acts["1.1"]["deadline_kind"] == "manual"
    assert [s["source_number"] for s in sev["sections"]] == [
        "I",
        "2",
        "3",
        "4",
        "5",
        "6",
    ]
    assert sev["approval"]["approved_on"] is None

    school = load("school-107-2020.json")
    numbers = [a["source_number"] for s in school["sections"] for a in s["activities"]]
    assert numbers.count("2.4.") == 2
    assert len(school["goals"]) == 3 and len(school["tasks"]) == 2
    assert school["approval"]["approved_on"] == "2020-09-11"
