"""Turning a deadline's Russian text into a canonical string that the parser's rules read.

The canonical form is lowercase words separated by single spaces, with the calendar parts
replaced by tags, numbers written as digits and the noise («г.», «гг», «года» after a year)
dropped:

    «До 15 марта 2024 г.»                → "до <date:2024-03-15>"
    «Февраль-май 2024 года»              → "<m:2> - <m:5> <y:2024>"
    «в течение трех рабочих дней»        → "в течение 3 рабочих дней"
    «В течение 2023-2024 учебного года»  → "в течение <y:2023> - <y:2024> учгод"
    «До 113.01.2023»                     → "до <bad:113.01.2023>"

so that each rule in `parser.py` is a short pattern over tags instead of a regex over every
spelling of a month.
"""

import re
from dataclasses import dataclass, field
from datetime import date

# Month names in every case a plan uses («январь», «января», «январе», «январю», «январем»)
# and the usual abbreviations («янв.», «сент.»).
_SOFT = ("ь", "я", "е", "ю", "ем")
_HARD = ("", "а", "е", "у", "ом")
_MONTH_FORMS = [
    ("январ", _SOFT, ("янв",)),
    ("феврал", _SOFT, ("фев", "февр")),
    ("март", _HARD, ("мар",)),
    ("апрел", _SOFT, ("апр",)),
    ("ма", ("й", "я", "е", "ю", "ем"), ()),
    ("июн", _SOFT, ()),
    ("июл", _SOFT, ()),
    ("август", _HARD, ("авг",)),
    ("сентябр", _SOFT, ("сен", "сент")),
    ("октябр", _SOFT, ("окт",)),
    ("ноябр", _SOFT, ("ноя", "нояб")),
    ("декабр", _SOFT, ("дек",)),
]
MONTHS: dict[str, int] = {}
for _number, (_stem, _endings, _abbreviations) in enumerate(_MONTH_FORMS, start=1):
    MONTHS.update({_stem + ending: _number for ending in _endings})
    MONTHS.update({abbreviation: _number for abbreviation in _abbreviations})

MONTH_NAMES = [
    "",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]

# Numbers written as words, in the forms deadlines use («в течение трех дней», «за две недели»).
NUMBER_WORDS = {
    "один": 1, "одного": 1, "одной": 1, "одну": 1, "одно": 1,
    "два": 2, "две": 2, "двух": 2,
    "три": 3, "трех": 3,
    "четыре": 4, "четырех": 4,
    "пять": 5, "пяти": 5,
    "шесть": 6, "шести": 6,
    "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8,
    "девять": 9, "девяти": 9,
    "десять": 10, "десяти": 10,
    "четырнадцать": 14, "четырнадцати": 14,
    "пятнадцать": 15, "пятнадцати": 15,
    "двадцать": 20, "двадцати": 20,
    "тридцать": 30, "тридцати": 30,
    "сорок": 40, "сорока": 40,
    "шестьдесят": 60, "шестидесяти": 60,
    "девяносто": 90, "девяноста": 90,
}  # fmt: skip

# Words that only say "year" after a year («2023 г.», «2023, 2024 гг», «2024 года»).
_YEAR_WORDS = {"г", "гг", "год", "года", "году", "годы", "годов", "годах"}

_PUNCT = {"-", ",", ";", "(", ")"}

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

# Phrases folded before tokenising: spellings of «учебный год», slashes between years.
_FOLDS = [
    (re.compile(r"\bуч(?:ебн[а-я]*)?\.?\s*г(?:од[а-я]*|\.)?(?![а-я])"), " учгод "),
    (re.compile(r"(?<=\d)\s*/\s*(?=\d)"), "-"),
]

_TOKEN = re.compile(
    r"""
    (?P<date>\d{1,4}\.\d{1,2}\.\d{2,4})(?!\d)
  | (?P<daymonth>\d{1,2}\.\d{1,2})(?![\d.]\d)
  | (?P<number>\d+)(?:-?(?:ти|ми|го|ой|ый|ого|и|х|й|е|ю)(?![а-я]))?
  | (?P<word>[а-яa-z]+)
  | (?P<punct>[-,;()])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # date | daymonth | month | year | number | word | punct | bad
    value: object
    raw: str = ""

    @property
    def canon(self) -> str:
        if self.kind == "date":
            return f"<date:{self.value.isoformat()}>"
        if self.kind == "daymonth":
            month, day = self.value
            return f"<dm:{month:02d}-{day:02d}>"
        if self.kind == "month":
            return f"<m:{self.value}>"
        if self.kind == "year":
            return f"<y:{self.value}>"
        if self.kind == "bad":
            return f"<bad:{self.raw}>"
        return str(self.value)


def normalize(text: str) -> str:
    """Lowercase, ё→е, one kind of dash, no quotes, single spaces."""
    text = (text or "").lower().replace("ё", "е")
    text = re.sub(f"[{_DASHES}]", "-", text)
    text = re.sub(r"[«»\"“”„'`]", " ", text)
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _read_date(raw: str) -> Token:
    day, month, year = (int(part) for part in raw.split("."))
    if year < 100:
        year += 2000
    found = _valid_date(year, month, day) if 1990 <= year <= 2099 else None
    return Token("date", found, raw) if found else Token("bad", None, raw)


def _read_daymonth(day: int, month: int, raw: str) -> Token:
    # A leap year, so «29 февраля» without a year is a real date.
    if _valid_date(2000, month, day):
        return Token("daymonth", (month, day), raw)
    return Token("bad", None, raw)


def _days_compound(word: str) -> int | None:
    """«тридцатидневный» → 30, «десятидневный» → 10 (a term written as one word)."""
    match = re.fullmatch(r"([а-я]+?)дневн[а-я]*", word)
    return NUMBER_WORDS.get(match.group(1)) if match else None


def _raw_tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind, raw = match.lastgroup, match.group(0)
        if kind == "date":
            tokens.append(_read_date(match.group("date")))
        elif kind == "daymonth":
            day, month = (int(part) for part in match.group("daymonth").split("."))
            tokens.append(_read_daymonth(day, month, match.group("daymonth")))
        elif kind == "number":
            number = int(match.group("number"))
            is_year = len(match.group("number")) == 4 and 1990 <= number <= 2099
            tokens.append(Token("year" if is_year else "number", number, raw))
        elif kind == "word" and raw in MONTHS:
            tokens.append(Token("month", MONTHS[raw], raw))
        elif kind == "word" and raw in NUMBER_WORDS:
            tokens.append(Token("number", NUMBER_WORDS[raw], raw))
        elif kind == "word" and _days_compound(raw):
            tokens.append(Token("number", _days_compound(raw), raw))
            tokens.append(Token("word", "дневный", raw))
        else:
            tokens.append(Token(kind, raw, raw))
    return tokens


def _last_meaningful(tokens: list[Token]) -> Token | None:
    for token in reversed(tokens):
        if token.kind != "punct":
            return token
    return None


def tokenize(text: str) -> list[Token]:
    """Tokens of a normalised text, with «15 марта 2024» joined into one date."""
    tokens: list[Token] = []
    for token in _raw_tokens(normalize(text)):
        previous = tokens[-1] if tokens else None
        if token.kind == "word" and token.value in _YEAR_WORDS:
            last = _last_meaningful(tokens)
            if last and last.kind in ("year", "date"):
                continue  # «2023 г.», «2023, 2024 гг»: the year already says it
        if token.kind == "word" and token.value.startswith("дневн") and previous and previous.raw == "-":
            tokens.pop()  # «10-дневный» → 10 дневный
        if token.kind == "month" and previous and previous.kind == "number" and previous.value <= 99:
            tokens[-1] = _read_daymonth(previous.value, token.value, f"{previous.raw} {token.raw}")
            continue
        if token.kind == "year" and previous and previous.kind == "daymonth":
            month, day = previous.value
            found = _valid_date(token.value, month, day)
            raw = f"{previous.raw} {token.raw}"
            tokens[-1] = Token("date", found, raw) if found else Token("bad", None, raw)
            continue
        tokens.append(token)
    return tokens


def display(canon_piece: str) -> str:
    """A canonical token shown back to a person: "<m:3>" → «март», "<date:…>" → «15.03.2024»."""
    match = re.fullmatch(r"<(\w+):([^>]*)>", canon_piece)
    if not match:
        return canon_piece
    tag, value = match.groups()
    if tag == "m":
        return MONTH_NAMES[int(value)]
    if tag == "date":
        year, month, day = value.split("-")
        return f"{day}.{month}.{year}"
    if tag == "dm":
        month, day = value.split("-")
        return f"{day}.{month}"
    return value


@dataclass
class Phrase:
    """A deadline text as canonical tokens, with the parts a rule has read marked as taken."""

    text: str
    canon: str
    taken: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> "Phrase":
        return cls(text=text, canon=" ".join(token.canon for token in tokenize(text)))

    def fresh(self) -> "Phrase":
        return Phrase(text=self.text, canon=self.canon)

    @property
    def free(self) -> str:
        """The canonical text with what has been taken blanked out by '#'."""
        chars = list(self.canon)
        for start, end in self.taken:
            chars[start:end] = "#" * (end - start)
        return "".join(chars)

    def take(self, pattern: str) -> re.Match | None:
        """Find a pattern in what is not taken yet and mark it taken."""
        match = re.search(pattern, self.free)
        if match and match.end() > match.start():
            self.taken.append(match.span())
        return match

    def take_all(self, pattern: str) -> list[re.Match]:
        found = []
        while match := self.take(pattern):
            found.append(match)
        return found

    def leftover(self, fillers: frozenset[str]) -> list[str]:
        """The fragments nothing read, as a person would read them; fillers alone don't count."""
        fragments = []
        for chunk in re.split(r"#+", self.free):
            pieces = chunk.split()
            if any(piece not in fillers and piece not in _PUNCT for piece in pieces):
                fragments.append(" ".join(display(piece) for piece in pieces).strip(" ,;-()"))
        return fragments
