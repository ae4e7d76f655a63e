"""Numbers and phrases of the markers' explanations, in Russian: «31,4 %», «на 12 п. п.»,
«в 2 раза», «12 участников»."""


def num(value: float) -> str:
    """31.44 → «31,4», 31.0 → «31»: Russian decimals, one digit."""
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def pct(value: float) -> str:
    return f"{num(value)} %"


def pp(value: float) -> str:
    return f"{num(value)} п. п."


def times(value: float) -> str:
    """«в 1,8 раза», «в 2 раза», «в 6 раз»."""
    text = num(value)
    whole = text.isdigit()
    few = whole and int(text) % 10 in (2, 3, 4) and int(text) % 100 not in (12, 13, 14)
    return f"в {text} {'раза' if few or not whole else 'раз'}"


def people(count: int) -> str:
    tail = count % 100
    if 11 <= tail <= 14 or count % 10 in (0, 5, 6, 7, 8, 9):
        return f"{count} участников"
    return f"{count} участник" if count % 10 == 1 else f"{count} участника"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def part(count: int, distribution: tuple[int, ...]) -> float:
    total = sum(distribution)
    return 100.0 * count / total if total else 0.0


def once_in(p: float) -> str:
    return f"1 случае из {round(1 / p)}" if p > 0 else "никогда"
