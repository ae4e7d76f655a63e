"""The words and proportions the synthetic region is made of."""

import json
import random
from pathlib import Path

from django.conf import settings

from activities.choices import (
    DeadlineKind,
)
from schools.choices import LegalForm, SchoolKind

# Bump when the generated data changes: a bench database of another version is made again.
VERSION = 2
PASSWORD = "vprplan-bench"
# The plan the plan-page scenario opens: the first municipality's current plan has exactly this size.
MEASURED_PLAN_ACTIVITIES = 150
BATCH = 2000

TOWNS = [
    "Инта", "Ухта", "Печора", "Воркута", "Сосногорск", "Усинск", "Вуктыл", "Емва", "Микунь",
    "Ачинск", "Канск", "Минусинск", "Лесосибирск", "Шарыпово", "Дивногорск", "Бородино",
    "Заозёрный", "Иланский", "Назарово", "Ужур", "Боготол", "Кодинск", "Игарка", "Енисейск",
    "Тура", "Дудинка", "Северо-Енисейский", "Кежма", "Богучаны", "Мотыгино", "Абан", "Дзержинское",
    "Ирбейское", "Партизанское", "Балахта", "Новосёлово", "Шушенское", "Каратузское", "Ермаковское",
    "Идринское", "Курагино", "Краснотуранск", "Пировское", "Казачинское", "Большая Мурта",
]  # fmt: skip
# ((kind, full name, short name), weight)
SCHOOL_KINDS = [
    ((SchoolKind.SOSH, "Средняя общеобразовательная школа", "СОШ"), 70),
    ((SchoolKind.OOSH, "Основная общеобразовательная школа", "ООШ"), 12),
    ((SchoolKind.LYCEUM, "Лицей", "Лицей"), 6),
    ((SchoolKind.GYMNASIUM, "Гимназия", "Гимназия"), 6),
    ((SchoolKind.NOSH, "Начальная общеобразовательная школа", "НОШ"), 3),
    ((SchoolKind.CENTER, "Центр образования", "ЦО"), 3),
]
LEGAL_FORMS = [(LegalForm.MBOU, 60), (LegalForm.MKOU, 30), (LegalForm.MAOU, 10)]
SURNAMES = [
    "Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Соколова", "Михайлова",
    "Новикова", "Фёдорова", "Морозова", "Волкова", "Алексеева", "Лебедева", "Семёнова", "Егорова",
    "Павлова", "Козлова", "Степанова", "Николаева", "Орлова", "Андреева", "Макарова", "Никитина",
]  # fmt: skip
INITIALS = ["А.А.", "Е.В.", "Н.И.", "О.С.", "Л.А.", "Т.Н.", "И.В.", "М.П.", "С.Г.", "Ю.Р."]
EVIDENCE_FORMS = ["Приказ ОО", "Протокол", "Листы регистрации", "Аналитическая справка", "Отчёт"]
SUBJECTS = ["Математика", "Русский язык", "Окружающий мир", "История", "Биология", "География"]
SECTION_TITLES = [
    "Организационно-управленческие мероприятия",
    "Нормативно-правовое обеспечение",
    "Информационно-разъяснительная работа по обеспечению объективности результатов ВПР",
    "Обеспечение объективности при проведении ВПР",
    "Обеспечение объективности при проверке работ участников ВПР",
    "Анализ результатов ВПР и использование их для повышения качества образования",
    "Методическая поддержка педагогов",
    "Контроль и мониторинг объективности результатов",
]
RECURRING_OCCURRENCES = 4  # «1 раз в четверть»


def _weighted(rng: random.Random, pairs):
    """One value of [(value, weight), …]."""
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def municipality_sizes(schools: int, rng: random.Random) -> list[int]:
    """Schools per municipality: 10–40 each (fewer only when the whole region has fewer than 10)."""
    sizes, left = [], schools
    while left > 40:
        size = rng.randint(10, min(40, left - 10))
        sizes.append(size)
        left -= size
    if left:
        sizes.append(left)
    return sizes


def _split(total: int, parts: int, rng: random.Random, least: int = 8) -> list[int]:
    """`total` as `parts` random positive sizes, each at least `least`."""
    spare = total - parts * least
    cuts = sorted(rng.randint(0, spare) for _ in range(parts - 1))
    bounds = [0, *cuts, spare]
    return [least + bounds[i + 1] - bounds[i] for i in range(parts)]


def _activity_texts() -> list[dict]:
    """Rows of the real plans (title, deadline, result, note) to fill synthetic plans with."""
    rows = []
    for path in sorted((Path(settings.BASE_DIR) / "fixtures" / "demo" / "plans").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for section in data["sections"]:
            rows.extend(section["activities"])
    if not rows:  # the fixtures are part of the repository; this only keeps a stripped copy working
        rows = [
            {
                "title": "Проведение совещания с руководителями ОО по вопросам объективности ВПР",
                "deadline_text": "Март",
                "deadline_kind": DeadlineKind.MONTHS,
                "expected_result": "Протокол совещания",
                "note": "",
            }
        ]
    return rows
