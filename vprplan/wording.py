"""Russian wording for every sentence the system builds itself: a person's name declined by case
and gender, verbs and participles agreed with the person, nouns agreed with a number.

Names go through pytrovich (the petrovich rules); common words through pymorphy3 where the
caller does not give the forms. Gender, when not stored, comes from the patronymic (then the first
name, then the surname): «Ковалёва Ирина Сергеевна» is a woman, «Захаров Д.О.» a man.

    decline("Захаров Денис Олегович", "gen")     -> «Захарова Дениса Олеговича»
    decline("Белова Т.А.", "dat")                -> «Беловой Т.А.»
    gendered("назначен", "Белова Татьяна Андреевна") -> «назначена»
    plural(5, "мероприятие", "мероприятия", "мероприятий") -> «мероприятий»
    count(21, "раздел")                          -> «21 раздел»
"""

import re
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as _Case
from pytrovich.enums import Gender as _Gender
from pytrovich.enums import NamePart
from pytrovich.maker import PetrovichDeclinationMaker

MALE, FEMALE = "m", "f"

CASES = {
    "nom": _Case.NOMINATIVE,
    "gen": _Case.GENITIVE,
    "dat": _Case.DATIVE,
    "acc": _Case.ACCUSATIVE,
    "ins": _Case.INSTRUMENTAL,
    "pre": _Case.PREPOSITIONAL,
}
# The same cases by their Russian names, for templates written by people who think in them.
CASES.update(
    {"им": CASES["nom"], "род": CASES["gen"], "дат": CASES["dat"], "вин": CASES["acc"],
     "твор": CASES["ins"], "пред": CASES["pre"]}
)  # fmt: skip
_PYMORPHY_CASES = {
    _Case.NOMINATIVE: "nomn", _Case.GENITIVE: "gent", _Case.DATIVE: "datv",
    _Case.ACCUSATIVE: "accs", _Case.INSTRUMENTAL: "ablt", _Case.PREPOSITIONAL: "loct",
}  # fmt: skip

_INITIALS = re.compile(r"^(?:[А-ЯЁA-Z]\.\s?)+$")
_WORD = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # loads its dictionaries (~0.3 s): only when a word's forms are not given

    return pymorphy3.MorphAnalyzer()


def _case(case) -> _Case:
    try:
        return CASES[case] if isinstance(case, str) else case
    except KeyError:
        raise ValueError(f"Unknown case {case!r}; one of {sorted(CASES)}") from None


def _parts(full_name: str) -> tuple[str, str, str, str]:
    """(surname, first name, patronymic, initials) of «Фамилия Имя Отчество» or «Фамилия И.О.»."""
    words = _WORD.findall(full_name or "")
    if not words:
        return "", "", "", ""
    surname, rest = words[0], words[1:]
    if rest and all(_INITIALS.match(w) for w in rest):
        return surname, "", "", " ".join(rest)
    first = rest[0] if rest else ""
    patronymic = " ".join(rest[1:])
    return surname, first, patronymic, ""


def gender_of(full_name: str, gender: str | None = None) -> str | None:
    """MALE, FEMALE or None (cannot tell): the stored gender if given, else from the name."""
    if gender in (MALE, FEMALE):
        return gender
    surname, first, patronymic, _ = _parts(full_name)
    last_word = patronymic.split()[-1].lower() if patronymic else ""
    if last_word in ("оглы", "улы", "уулу"):
        return MALE
    if last_word in ("кызы", "гызы"):
        return FEMALE
    found = _detector().detect(
        firstname=first or None, middlename=patronymic or None, lastname=surname or None
    ) if (first or patronymic or surname) else _Gender.ANDROGYNOUS  # fmt: skip
    return {_Gender.MALE: MALE, _Gender.FEMALE: FEMALE}.get(found)


def decline(full_name: str, case="nom", gender: str | None = None) -> str:
    """The person's name in the case: «Фамилия Имя Отчество» or «Фамилия И.О.» (initials stay)."""
    target = _case(case)
    surname, first, patronymic, initials = _parts(full_name)
    if not surname or target is _Case.NOMINATIVE:
        return (full_name or "").strip()
    sex = gender_of(full_name, gender)
    known = sex is not None
    who = {MALE: _Gender.MALE, FEMALE: _Gender.FEMALE}.get(sex, _Gender.ANDROGYNOUS)
    make = _maker().make
    words = [make(NamePart.LASTNAME, who, target, surname, known_gender=known)]
    if initials:
        words.append(initials)
    if first:
        words.append(make(NamePart.FIRSTNAME, who, target, first, known_gender=known))
    if patronymic:
        words.append(make(NamePart.MIDDLENAME, who, target, patronymic, known_gender=known))
    return " ".join(words)


def short_name(full_name: str, case="nom", gender: str | None = None) -> str:
    """«Фамилия И.О.» in the case: «Захаров Денис Олегович», "dat" -> «Захарову Д.О.»."""
    surname, first, patronymic, initials = _parts(full_name)
    if not surname:
        return ""
    if not initials:
        initials = "".join(f"{w[0]}." for w in (first, *patronymic.split()[:1]) if w)
    sex = gender_of(full_name, gender)
    return decline(f"{surname} {initials}" if initials else surname, case, sex)


def gendered(word: str, person: str | None = None, feminine: str | None = None) -> str:
    """A past-tense verb or short participle agreed with the person (a name, MALE or FEMALE):
    «назначен» -> «назначена», «прошёл» -> «прошла». Masculine when the gender is unknown."""
    sex = person if person in (MALE, FEMALE) else gender_of(person or "")
    if sex != FEMALE:
        return word
    if feminine:
        return feminine
    return " ".join(_feminine(w) for w in word.split(" "))


@lru_cache(maxsize=512)
def _feminine(word: str) -> str:
    for parse in _morph().parse(word):
        if parse.tag.POS in ("PRTS", "VERB", "ADJS") and "masc" in parse.tag:
            form = parse.inflect({"femn"})
            if form:
                return _same_case(word, form.word)
    return word


def _same_case(original: str, word: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def plural(n: int, one: str, few: str | None = None, many: str | None = None) -> str:
    """The word agreed with n: plural(1|2|5, "мероприятие", "мероприятия", "мероприятий").
    Without the other two forms the word (nominative singular) is agreed by pymorphy3."""
    if few is None or many is None:
        return agree(n, one)
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str | None = None, many: str | None = None) -> str:
    """The number with its word: count(4, "мероприятие") -> «4 мероприятия»."""
    return f"{n} {plural(n, one, few, many)}"


@lru_cache(maxsize=1024)
def agree(n: int, phrase: str) -> str:
    """Each word of a nominative phrase agreed with the number by pymorphy3 («новое мероприятие»,
    5 -> «новых мероприятий»); a word it does not know stays as it is."""
    words = []
    for word in phrase.split(" "):
        parse = _noun_parse(word)
        form = parse.make_agree_with_number(abs(int(n))) if parse is not None else None
        words.append(_same_case(word, form.word) if form else word)
    return " ".join(words)


def inflect(phrase: str, case) -> str:
    """A common-noun phrase in the case by pymorphy3: inflect("школьный координатор", "dat")."""
    grammeme = _PYMORPHY_CASES[_case(case)]
    words = []
    for word in phrase.split(" "):
        parse = _noun_parse(word)
        form = parse.inflect({grammeme}) if parse is not None else None
        words.append(_same_case(word, form.word) if form else word)
    return " ".join(words)


def _noun_parse(word: str):
    if not word or not word[0].isalpha():
        return None
    for parse in _morph().parse(word.lower()):
        if parse.tag.POS in ("NOUN", "ADJF", "PRTF") and parse.tag.case == "nomn":
            return parse
    return None


@lru_cache(maxsize=4096)
def lemma(word: str) -> str:
    """The dictionary form of a word (lower case): «координаторам» -> «координатор», «школьные» ->
    «школьный». An abbreviation in capitals («ОО», «ШМО») is kept as it is, lower-cased."""
    lowered = word.lower().replace("ё", "е")
    if len(word) > 1 and word.isupper() or not word.isalpha():
        return lowered
    parses = _morph().parse(lowered)
    return parses[0].normal_form.replace("ё", "е") if parses else lowered


@lru_cache(maxsize=4096)
def _is_name_word(word: str) -> bool:
    """A first name, surname or patronymic, or initials; a word the dictionary does not know
    counts as a name too («Фильчук»), a common word («координатор», «региона») does not."""
    if _INITIALS.match(word):
        return True
    parses = _morph().parse(word)
    return any(not p.is_known or {"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in parses)


@lru_cache(maxsize=4096)
def address(first_name: str, last_name: str = "") -> str:
    """How a letter or a page addresses the person: «Эвелина Олеговна» (name and patronymic),
    «Н.И. Савельева»; "" when the account holds no person's name («Школьный» «координатор», a
    role written in the name fields): then the greeting is just «Здравствуйте!»."""
    first, last = (first_name or "").split(), (last_name or "").split()
    words = [w for w in first + last if w]
    if not words or not all(_is_name_word(w.strip(".,")) or _INITIALS.match(w) for w in words):
        return ""
    if len(first) == 2 and not any(_INITIALS.match(w) for w in first):
        return " ".join(first)  # «Имя Отчество», as one writes to a colleague
    return " ".join(words)


def user_full_name(first_name: str, last_name: str) -> str:
    """«Фамилия Имя Отчество» (or «Фамилия И.О.») of an account's name fields, "" when they hold
    no person's name; the order a document uses, so that decline() and short_name() apply."""
    if not address(first_name, last_name):
        return ""
    return " ".join(w for w in ((last_name or "").strip(), (first_name or "").strip()) if w)


def user_short_name(user, case="nom") -> str:
    """«Круглова Э.О.» for a user, in the case; the login when the account holds no name."""
    full = user_full_name(getattr(user, "first_name", ""), getattr(user, "last_name", ""))
    return short_name(full, case) if full else getattr(user, "username", "")
