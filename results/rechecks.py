"""The rules of a recheck (перепроверка) and its discrepancies report: pure functions, no queries.

- An expert of the commission may not work at the school whose works are rechecked, nor teach a
  class whose works are rechecked (part-time, «совместительство»): each refusal says who and why.
- Scores are entered per task, each between 0 and the task's maximum.
- The report compares the school's and the commission's scores, work by work and task by task,
  and, when the scale of that VPR is known, the marks.
"""

import re
from dataclasses import dataclass, field

from results.models import GradingScale, Recheck, RecheckWork
from vprplan.errors import DomainError

LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXabcekmoptx", "АВСЕНКМОРТХАВСЕКМОРТХ")


def class_key(label: str) -> str:
    """«5 а», «5-А», «5A» (Latin) → «5А»; a bare «5» stays «5» (the whole grade)."""
    return re.sub(r"[\s\-–«»\"']", "", label.translate(LATIN_TO_CYRILLIC)).upper()


def class_label(label: str) -> str:
    """«5а» → «5 А», for display."""
    key = class_key(label)
    match = re.match(r"^(\d{1,2})(.*)$", key)
    return f"{match.group(1)} {match.group(2)}".strip() if match else key


def taught_classes(text: str) -> set[str]:
    return {class_key(part) for part in re.split(r"[,;/\n]+", text) if part.strip()}


def teaches(classes: set[str], work_class: str) -> bool:
    """Whether someone teaching `classes` teaches `work_class` (a bare grade covers its letters)."""
    key = class_key(work_class)
    grade = re.match(r"^\d{1,2}", key)
    return key in classes or (grade is not None and grade.group(0) in classes)


def expert_problems(
    *,
    recheck: Recheck,
    full_name: str,
    workplace_id: int | None,
    teaches_school_id: int | None,
    teaches_classes: str,
    work_classes: set[str],
) -> list[str]:
    """Why this person may not sit on the commission (empty: he may)."""
    found = []
    school = recheck.school
    if workplace_id == recheck.school_id:
        found.append(
            f"{full_name} работает в ОО «{school}», работы которой перепроверяются: в комиссию включают "
            "педагогов других ОО."
        )
    if teaches_school_id == recheck.school_id:
        classes = taught_classes(teaches_classes)
        for work_class in sorted(work_classes):
            if teaches(classes, work_class):
                found.append(
                    f"{full_name} ведёт уроки в классе {class_label(work_class)} ОО «{school}»: он не может "
                    "перепроверять работы этого класса."
                )
    return found


def check_class(recheck: Recheck, label: str) -> str:
    """The work's class as displayed; refused unless it is of the recheck's grade."""
    key = class_key(label)
    match = re.match(r"^(\d{1,2})([А-ЯЁ]{0,2}\d?)$", key)
    if not match:
        raise DomainError(f"Класс «{label}» не распознан: укажите, например, «{recheck.grade} А».")
    if int(match.group(1)) != recheck.grade:
        raise DomainError(
            f"Работа {label} — не {recheck.grade} класса, а перепроверяются работы {recheck.grade} класса."
        )
    return class_label(key)


def parse_scores(text: str) -> list[int]:
    """«1 0 2 1», «1;0;2;1» or «1,0,2,1» → [1, 0, 2, 1]; «-» or «н» (not done) counts 0."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    scores = []
    for part in parts:
        if part in ("-", "—", "н", "Н", "x", "X", "х", "Х"):
            scores.append(0)
        elif part.isdigit():
            scores.append(int(part))
        else:
            raise DomainError(f"«{part}» — не балл: укажите целые числа через пробел, по одному на задание.")
    return scores


def check_scores(scores: list[int], maximums: list[int], what: str = "Баллы") -> list[int]:
    if len(scores) != len(maximums):
        raise DomainError(
            f"{what}: нужно {len(maximums)} значений — по одному на задание, а указано {len(scores)}."
        )
    for number, (score, top) in enumerate(zip(scores, maximums, strict=True), start=1):
        if not 0 <= score <= top:
            raise DomainError(f"{what}: задание {number} — балл {score} больше максимального ({top}).")
    return scores


@dataclass
class WorkLine:
    work: RecheckWork
    original: int
    rechecked: int | None
    changed_tasks: list[tuple[int, int, int]] = field(default_factory=list)  # (task, original, rechecked)
    original_mark: int | None = None
    rechecked_mark: int | None = None

    @property
    def difference(self) -> int | None:
        return None if self.rechecked is None else self.rechecked - self.original

    @property
    def cells(self) -> list[tuple[int, int | None, bool]]:
        """(school's score, commission's score or None, differ) per task, for the report's table."""
        before = self.work.original_scores
        after = self.work.rechecked_scores or [None] * len(before)
        return [(b, a, a is not None and a != b) for b, a in zip(before, after, strict=False)]

    @property
    def mark_changed(self) -> bool:
        return self.rechecked_mark is not None and self.rechecked_mark != self.original_mark


@dataclass
class TaskLine:
    number: int
    max_score: int
    changed: int = 0
    original: int = 0
    rechecked: int = 0


@dataclass
class Discrepancies:
    works: list[WorkLine]
    tasks: list[TaskLine]

    @property
    def rechecked(self) -> list[WorkLine]:
        return [w for w in self.works if w.rechecked is not None]

    @property
    def with_discrepancy(self) -> int:
        return sum(1 for w in self.rechecked if w.changed_tasks)

    @property
    def lowered(self) -> int:
        return sum(1 for w in self.rechecked if (w.difference or 0) < 0)

    @property
    def raised(self) -> int:
        return sum(1 for w in self.rechecked if (w.difference or 0) > 0)

    @property
    def marks_changed(self) -> int:
        return sum(1 for w in self.rechecked if w.mark_changed)

    @property
    def mean_difference(self) -> float | None:
        done = self.rechecked
        return sum(w.difference for w in done) / len(done) if done else None


def discrepancies(recheck: Recheck, works: list[RecheckWork], scale: GradingScale | None) -> Discrepancies:
    tasks = [TaskLine(number=i + 1, max_score=m) for i, m in enumerate(recheck.task_max_scores)]
    lines = []
    for work in works:
        line = WorkLine(work=work, original=sum(work.original_scores), rechecked=None)
        if scale is not None:
            line.original_mark = scale.mark(line.original)
        if work.rechecked_scores:
            line.rechecked = sum(work.rechecked_scores)
            line.rechecked_mark = scale.mark(line.rechecked) if scale is not None else None
            for task, before, after in zip(tasks, work.original_scores, work.rechecked_scores, strict=False):
                task.original += before
                task.rechecked += after
                if before != after:
                    task.changed += 1
                    line.changed_tasks.append((task.number, before, after))
        lines.append(line)
    return Discrepancies(works=lines, tasks=tasks)
