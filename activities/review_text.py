"""The review loop in words: who accepted or returned a school's report, agreed with him or her
(«Круглова Э.О. вернула отчёт на доработку 01.02.2024»), and the coordinator's message after it."""

from datetime import datetime

from django.utils import timezone

from activities.choices import ReviewStatus
from vprplan.wording import gendered, user_full_name, user_short_name


def review_note(*, status: str, reviewer, reviewed_at: datetime | None = None, comment: str = "") -> str:
    """«Захаров Д.О. принял отчёт 01.02.2024.», «Белова Т.А. вернула отчёт на доработку 01.02.2024:
    приложите протокол.»; without the reviewer, «Отчёт принят.»/«Отчёт возвращён на доработку.»."""
    returned = status == ReviewStatus.RETURNED
    when = f" {timezone.localtime(reviewed_at):%d.%m.%Y}" if reviewed_at else ""
    if reviewer is not None:
        full = user_full_name(getattr(reviewer, "first_name", ""), getattr(reviewer, "last_name", ""))
        verb = gendered("вернул", full) if returned else gendered("принял", full)
        text = f"{user_short_name(reviewer)} {verb} отчёт{' на доработку' if returned else ''}{when}"
    else:
        text = f"Отчёт {'возвращён на доработку' if returned else 'принят'}{when}"
    comment = (comment or "").strip()
    return f"{text}: {comment}" if comment else f"{text}."


def review_done_message(*, decision: str, organization) -> str:
    """What the coordinator reads after the decision: «Отчёт принят: СОШ № 5.» (the name stays in
    the nominative after the colon, whatever it is)."""
    school = getattr(organization, "short_name", "") or str(organization)
    if decision == "accept":
        return f"Отчёт принят: {school}."
    return f"Отчёт возвращён на доработку: {school}. Школа увидит ваше замечание."
