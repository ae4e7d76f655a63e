"""Counts in the limits' messages agree with their number («не больше 1 файла», «401 дата»)."""

import pytest

from activities.evidence import EvidenceRejected, check_evidence_files
from activities.models import Activity
from activities.services.executions import MAX_OCCURRENCES, too_many_dates


@pytest.mark.parametrize(("limit", "words"), [(1, "1 файла"), (2, "2 файлов"), (5, "5 файлов"),
                                              (11, "11 файлов"), (21, "21 файла"), (22, "22 файлов")])  # fmt: skip
def test_the_evidence_limit_agrees_its_number(settings, limit, words):
    settings.EVIDENCE_MAX_FILES = limit
    with pytest.raises(EvidenceRejected) as refused:
        check_evidence_files([object()] * (limit + 1))
    assert f"не больше {words}." in str(refused.value)


@pytest.mark.parametrize(("count", "words"), [(401, "401 дата"), (402, "402 даты"), (405, "405 дат"),
                                              (411, "411 дат"), (421, "421 дата")])  # fmt: skip
def test_too_many_dates_agrees_its_numbers(count, words):
    message = too_many_dates(Activity(number="1.1", deadline_text="ежедневно"), count)
    assert f"получается {words}," in message
    assert f"не больше {MAX_OCCURRENCES} {'даты' if MAX_OCCURRENCES % 10 == 1 and MAX_OCCURRENCES % 100 != 11 else 'дат'}." in message
