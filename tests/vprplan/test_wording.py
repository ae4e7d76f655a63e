"""The wording module: names declined by case and gender, verbs agreed, numerals agreed."""

import pytest
from django.template import Context, Template

from vprplan import wording


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        ("Захаров Денис Олегович", "gen", "Захарова Дениса Олеговича"),
        ("Ковалёва Ирина Сергеевна", "gen", "Ковалёвой Ирины Сергеевны"),
        ("Белова Татьяна Андреевна", "dat", "Беловой Татьяне Андреевне"),
        ("Захаров Денис Олегович", "ins", "Захаровым Денисом Олеговичем"),
        ("Белова Т.А.", "gen", "Беловой Т.А."),
        ("Захаров Д. О.", "dat", "Захарову Д. О."),
        ("Белых Анна Петровна", "gen", "Белых Анны Петровны"),
        ("Ковалёва Ирина Сергеевна", "nom", "Ковалёва Ирина Сергеевна"),
    ],
)
def test_names_are_declined_by_case_and_gender(name, case, expected):
    assert wording.decline(name, case) == expected


def test_short_name_and_gender_from_patronymic():
    assert wording.short_name("Ковалёва Ирина Сергеевна", "dat") == "Ковалёвой И.С."
    assert wording.short_name("Захаров Денис Олегович") == "Захаров Д.О."
    assert wording.gender_of("Саша Сергеевна") == wording.FEMALE  # the patronymic decides
    assert wording.gender_of("Алиев Рустам Ильхам оглы") == wording.MALE
    assert wording.gender_of("Иванова Саша", wording.MALE) == wording.MALE  # the stored gender wins


@pytest.mark.parametrize(
    ("masc", "fem"),
    [("назначен", "назначена"), ("уже назначен", "уже назначена"), ("исключён", "исключена"),
     ("прошёл", "прошла"), ("аккредитован", "аккредитована"), ("обучен", "обучена")],
)  # fmt: skip
def test_verbs_agree_with_the_person(masc, fem):
    assert wording.gendered(masc, "Белова Татьяна Андреевна") == fem
    assert wording.gendered(masc, "Захаров Денис Олегович") == masc
    assert wording.gendered(masc, wording.FEMALE) == fem


@pytest.mark.parametrize(
    ("n", "given", "by_pymorphy"),
    [(1, "1 мероприятие", "1 раздел"), (2, "2 мероприятия", "2 раздела"), (5, "5 мероприятий", "5 разделов"),
     (11, "11 мероприятий", "11 разделов"), (12, "12 мероприятий", "12 разделов"),
     (21, "21 мероприятие", "21 раздел"), (22, "22 мероприятия", "22 раздела"),
     (111, "111 мероприятий", "111 разделов"), (0, "0 мероприятий", "0 разделов")],
)  # fmt: skip
def test_numerals_agree(n, given, by_pymorphy):
    assert wording.count(n, "мероприятие", "мероприятия", "мероприятий") == given
    assert wording.count(n, "раздел") == by_pymorphy


def test_template_filters():
    template = Template(
        '{% load wording %}{{ name|declined:"gen" }}; {{ "назначен"|gendered:name }}; '
        '{{ n|count:"мероприятие,мероприятия,мероприятий" }}; {{ n|count:"раздел" }}; {{ name|short:"dat" }}'
    )
    text = template.render(Context({"name": "Ковалёва Ирина Сергеевна", "n": 4}))
    assert text == "Ковалёвой Ирины Сергеевны; назначена; 4 мероприятия; 4 раздела; Ковалёвой И.С."
