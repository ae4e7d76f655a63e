"""A new order's text, prefilled from the plan, the authority and the authority's last order, so
that preparing one is a click and a few edits."""

import re

from django.contrib.auth.models import User

from activities.models import Plan
from reports.models import Order
from schools.models import EducationAuthority, Organization
from vprplan.documents.blanks import title_genitive

DEFAULT_PREAMBLE = "В целях повышения объективности проведения и проверки всероссийских проверочных работ"


def next_number(organization: Organization, year: int) -> str:
    """The next free number of the authority's register this year (the clerk may change it)."""
    numbers = Order.objects.filter(organization=organization, year=year).values_list("number", flat=True)
    used = [int(m.group(0)) for n in numbers if (m := re.match(r"\d+", n or ""))]
    return str(max(used, default=0) + 1)


def distribution_default(organization: Organization) -> str:
    schools = list(
        Organization.objects.schools()
        .filter(municipality=organization, is_active=True)
        .order_by("name")
        .values_list("short_name", "name")
    )
    lines = ["1 – в дело"]
    if schools:
        names = ", ".join(short or name for short, name in schools)
        lines.append(f"{len(schools)} – {names}")
    return "\n".join(lines)


def amended_order(plan: Plan) -> tuple[str, str] | None:
    """(«от 01.09.2025 № 7», its title) of the order that approved the plan `plan` is a new version
    of, or None when `plan` is not a new version or that order is not known."""
    approved = plan.amends
    if approved is None:
        return None
    signed = (
        Order.objects.filter(plan=approved, status="signed")
        .exclude(date=None)
        .order_by("-date", "-pk")
        .first()
    )
    if signed is not None:
        return signed.requisites, signed.title
    if approved.order_number and approved.order_date:
        return (
            f"от {approved.order_date:%d.%m.%Y} № {approved.order_number}",
            f"Об утверждении {title_genitive(approved.title)}",
        )
    return None


def _clauses(plan: Plan, genitive: str, amended: tuple[str, str] | None) -> list[str]:
    publish = f"Настоящий приказ подлежит размещению на официальном сайте {genitive}."
    control = "Контроль исполнения настоящего приказа оставляю за собой."
    if amended is None:
        return [
            f"Утвердить {plan.title} (далее — План) согласно приложению к настоящему приказу.",
            "Руководителям муниципальных общеобразовательных организаций обеспечить исполнение "
            "мероприятий Плана.",
            publish,
            control,
        ]
    requisites, title = amended
    return [
        f"Внести в приказ {genitive} {requisites} «{title}» изменения, изложив приложение к нему "
        f"({plan.title}, далее — План) в новой редакции согласно приложению к настоящему приказу.",
        "Руководителям муниципальных общеобразовательных организаций обеспечить исполнение "
        "мероприятий Плана в новой редакции.",
        publish,
        control,
    ]


def order_defaults(*, plan: Plan, authority: EducationAuthority, actor: User) -> dict:
    """Field values of a new order for `plan`; what the authority's previous order said about the
    preamble, executor and distribution is kept (clerks reuse last year's order). A new version of
    an approved plan is ordered «О внесении изменений в приказ от … № …» naming the order it
    changes. No number and no date: they are given when the order is signed."""
    previous = Order.objects.filter(organization=plan.owner).order_by("-pk").first()
    genitive = authority.genitive_name or authority.full_name
    plan_title = title_genitive(plan.title)
    amended = amended_order(plan)
    if amended is None:
        title = f"Об утверждении {plan_title}"
    else:
        title = f"О внесении изменений в приказ {genitive} {amended[0]} «{amended[1]}»"
    clauses = _clauses(plan, genitive, amended)
    executor = (actor.get_full_name() if actor is not None else "") or authority.head_full_name
    return {
        "organization": plan.owner,
        "plan": plan,
        "number": "",
        "place": authority.place,
        "authority_name": authority.full_name,
        "authority_name_local": authority.full_name_local,
        "authority_genitive": genitive,
        # The second-language word for «ПРИКАЗ» comes from the authority or from its previous
        # order; it is never assumed from the language.
        "kind_local": authority.order_kind_local or (previous.kind_local if previous else ""),
        "title": title,
        "preamble": previous.preamble if previous else DEFAULT_PREAMBLE,
        "clauses": clauses,
        "signatory_position": authority.head_position,
        "signatory_name": authority.head_name,
        "executor_name": previous.executor_name if previous else executor,
        "executor_phone": previous.executor_phone if previous else authority.phone,
        "distribution": previous.distribution if previous else distribution_default(plan.owner),
    }
