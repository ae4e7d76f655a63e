"""The sentences the system builds itself, rendered for a man and a woman and for 1, 2, 5, 11, 21
and 22 of each counted thing: the observers' rules, the import preview, the review loop and the
reminders. Some phrases are recorded as figures for the closing note."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from activities.choices import ReviewStatus
from activities.reminders.digest import Digest, email, overdue_detail, when
from activities.review_text import review_done_message, review_note
from observers import rules

NUMBERS = (1, 2, 5, 11, 21, 22)
MAN = ("Захаров Денис Олегович", "Захарова Дениса Олеговича")
WOMAN = ("Ковалёва Ирина Сергеевна", "Ковалёвой Ирины Сергеевны")
TZ = ZoneInfo("Europe/Moscow")


def slot(pk=1, school=10, day=date(2024, 4, 16)):
    start = datetime(2024, 4, 16, 9, tzinfo=TZ)
    return rules.Slot(pk, school, 1, day, start, start + timedelta(minutes=90), label="СОШ № 5, математика, 4 А")


def candidate(name, **changes):
    data = dict(id=7, municipality_id=1, name=name, workplace_id=None, accredited_on=date(2024, 1, 10),
                trained_on=date(2024, 2, 1), consent=True, active=True)  # fmt: skip
    data.update(changes)
    return rules.Candidate(**data)


def all_reasons(name) -> list[str]:
    """One candidate that breaks each rule, and one with late dates."""
    everything = candidate(name, workplace_id=10, children=frozenset({10}), accredited_on=None,
                           trained_on=None, consent=False, active=False, municipality_id=2)  # fmt: skip
    busy = [slot(pk=2, school=11)]
    late = candidate(name, accredited_on=date(2024, 4, 20), trained_on=date(2024, 4, 18))
    return rules.reasons(slot(), everything, busy, school_name="СОШ № 5") + rules.reasons(slot(), late, [])


@pytest.mark.parametrize(
    ("person", "agreed"),
    [(MAN, ["исключён", "уже назначен в это время", "не прошёл обучение", "аккредитован 20.04.2024",
            "обучен 18.04.2024"]),
     (WOMAN, ["исключена", "уже назначена в это время", "не прошла обучение", "аккредитована 20.04.2024",
              "обучена 18.04.2024"])],
    ids=["man", "woman"],
)  # fmt: skip
def test_observer_rules_decline_the_name_and_agree_the_verbs(person, agreed, record_property):
    name, genitive = person
    text = " ".join(all_reasons(name))
    for words in agreed:
        assert f"{name} {words}" in text or f"Наблюдатель {name} {words}" in text, words
    assert f"учится ребёнок наблюдателя {genitive}: это конфликт интересов" in text
    assert f"У наблюдателя {genitive} нет аккредитации." in text
    assert f"Нет согласия наблюдателя {genitive} на обработку персональных данных" in text
    nominative_after_genitive = f"наблюдателя {name}"
    assert nominative_after_genitive not in text
    assert ("назначена" in text) is (person is WOMAN)
    no_accreditation = rules.reasons(slot(), candidate(name, accredited_on=None), [])
    assert no_accreditation == [f"У наблюдателя {genitive} нет аккредитации."]
    who = "woman" if person is WOMAN else "man"
    record_property(f"rules_{who}_busy", next(r for r in all_reasons(name) if "уже" in r).split(":")[0])
    record_property(f"rules_{who}_child", next(r for r in all_reasons(name) if "ребёнок" in r).split(":")[0])
    record_property(f"rules_{who}_accreditation", no_accreditation[0])
    record_property(f"rules_{who}_consent", next(r for r in all_reasons(name) if "согласия" in r))
    record_property(f"rules_{who}_training", next(r for r in all_reasons(name) if "обучение" in r))


PREVIEW = {1: "1 раздел, 1 мероприятие", 2: "2 раздела, 2 мероприятия", 5: "5 разделов, 5 мероприятий",
           11: "11 разделов, 11 мероприятий", 21: "21 раздел, 21 мероприятие", 22: "22 раздела, 22 мероприятия"}  # fmt: skip


@pytest.mark.parametrize("n", NUMBERS)
def test_the_import_preview_counts_agree(n, record_property):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    preview = SimpleNamespace(
        sections=[SimpleNamespace(number=i, title=f"Раздел {i}", row=i, activities=[]) for i in range(n)],
        activities=[object()] * n, errors=[], notes=[], columns=[], roles_to_create=[],
    )  # fmt: skip
    upload = SimpleNamespace(file_name="plan.docx", owner="МО «Инта»")
    html = render_to_string(
        "reports/plan_import_preview.html",
        {"upload": upload, "draft": SimpleNamespace(goals=[], tasks=[]), "form": None, "preview": preview},
        request=request,
    )
    assert f"<p>{PREVIEW[n]}." in html
    assert "разд.," not in html
    record_property(f"import_preview_{n}", PREVIEW[n])


def reviewer(first, last):
    return SimpleNamespace(first_name=first, last_name=last, username="reviewer")


def test_the_review_loop_agrees_with_the_reviewer(record_property):
    at = datetime(2024, 3, 1, 12, tzinfo=TZ)
    she, he = reviewer("Ирина Сергеевна", "Ковалёва"), reviewer("Денис Олегович", "Захаров")
    returned = review_note(status=ReviewStatus.RETURNED, reviewer=she, reviewed_at=at, comment="приложите протокол")
    accepted = review_note(status=ReviewStatus.ACCEPTED, reviewer=he, reviewed_at=at)
    assert returned == "Ковалёва И.С. вернула отчёт на доработку 01.03.2024: приложите протокол"
    assert accepted == "Захаров Д.О. принял отчёт 01.03.2024."
    assert review_note(status=ReviewStatus.ACCEPTED, reviewer=she) == "Ковалёва И.С. приняла отчёт."
    assert review_note(status=ReviewStatus.RETURNED, reviewer=he).startswith("Захаров Д.О. вернул отчёт")
    nameless = reviewer("Школьный", "координатор")  # the demo's placeholder is no person's name
    assert review_note(status=ReviewStatus.ACCEPTED, reviewer=nameless) == "reviewer принял отчёт."
    school = SimpleNamespace(short_name="СОШ № 5")
    assert review_done_message(decision="accept", organization=school) == "Отчёт принят: СОШ № 5."
    record_property("review_woman", returned)
    record_property("review_man", accepted)


DAYS = {1: "1 день", 2: "2 дня", 5: "5 дней", 11: "11 дней", 21: "21 день", 22: "22 дня"}
ITEMS = {1: "1 пункт", 2: "2 пункта", 5: "5 пунктов", 11: "11 пунктов", 21: "21 пункт", 22: "22 пункта"}
OVERDUE = {1: "1 мероприятие", 2: "2 мероприятия", 5: "5 мероприятий", 11: "11 мероприятий",
           21: "21 мероприятие", 22: "22 мероприятия"}  # fmt: skip


@pytest.mark.parametrize("n", NUMBERS)
def test_the_reminders_count_agree(n, record_property):
    today = date(2024, 3, 1)
    assert when(today + timedelta(days=n), today) == ("завтра" if n == 1 else f"через {DAYS[n]}")
    assert when(today - timedelta(days=n), today) == f"просрочено на {DAYS[n]}"
    digest = Digest(1, today, items=[{}] * n)
    assert digest.title == f"Сводка сроков на 01.03.2024: {ITEMS[n]}"
    assert overdue_detail(n, today) == f"просрочено {OVERDUE[n]}, самый ранний срок 01.03.2024"
    record_property(f"reminders_{n}", f"{digest.title}; {overdue_detail(n, today)}; {when(today - timedelta(days=n), today)}")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "greeting"),
    [("Ирина Сергеевна", "Ковалёва", "Здравствуйте, Ирина Сергеевна!"),
     ("Денис Олегович", "Захаров", "Здравствуйте, Денис Олегович!"),
     ("Школьный", "координатор", "Здравствуйте!"),
     ("", "", "Здравствуйте!")],
)  # fmt: skip
def test_the_digest_mail_greets_by_name_or_neutrally(first, last, greeting, django_user_model, record_property):
    user = django_user_model.objects.create(username=f"u{len(first)}", first_name=first, last_name=last,
                                            email="u@example.org")  # fmt: skip
    item = {"kind": "overdue", "text": "1.1 Мероприятие", "detail": "срок 01.03.2024", "url": "/x/"}
    message = email(Digest(user.pk, date(2024, 3, 1), items=[item]), user=user)
    assert message.body.splitlines()[0] == greeting
    assert greeting in message.alternatives[0][0]
    assert user.username not in message.body.splitlines()[0]
    record_property(f"greeting_{user.username}", greeting)


@pytest.mark.django_db
def test_the_home_page_greets_neutrally_without_a_name(client, django_user_model):
    nameless = django_user_model.objects.create_user("school9", password="x", first_name="Школьный",
                                                     last_name="координатор")  # fmt: skip
    client.force_login(nameless)
    html = client.get("/").content.decode()
    assert "<h1>Здравствуйте</h1>" in html and "Школьный координатор</h1>" not in html
    named = django_user_model.objects.create_user("head9", password="x", first_name="Эвелина Олеговна",
                                                  last_name="Круглова")  # fmt: skip
    client.force_login(named)
    assert "<h1>Здравствуйте, Эвелина Олеговна</h1>" in client.get("/").content.decode()
