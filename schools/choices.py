from django.db import models

from vprplan.roles import MUNICIPAL_STAFF, ROLE_ORG_KIND, OrgKind, Role  # noqa: F401 (re-exported)


class MunicipalityKind(models.TextChoices):
    DISTRICT = "district", "муниципальный район"
    OKRUG = "okrug", "муниципальный округ"
    CITY = "city", "городской округ"


class LegalForm(models.TextChoices):
    MKOU = "МКОУ", "МКОУ"
    MBOU = "МБОУ", "МБОУ"
    MAOU = "МАОУ", "МАОУ"
    GBOU = "ГБОУ", "ГБОУ"
    GKOU = "ГКОУ", "ГКОУ"
    GAOU = "ГАОУ", "ГАОУ"
    CHOU = "ЧОУ", "ЧОУ"


class SchoolKind(models.TextChoices):
    SOSH = "СОШ", "средняя общеобразовательная школа"
    OOSH = "ООШ", "основная общеобразовательная школа"
    NOSH = "НОШ", "начальная общеобразовательная школа"
    LYCEUM = "лицей", "лицей"
    GYMNASIUM = "гимназия", "гимназия"
    CENTER = "центр", "центр образования"
    OTHER = "иная", "иная"


class FlagSource(models.TextChoices):
    ROSOBRNADZOR = "rosobrnadzor", "перечень Рособрнадзора"
    REGIONAL = "regional", "региональный мониторинг"
    MUNICIPAL = "municipal", "муниципальный анализ"


class SigningMethod(models.TextChoices):
    """How an authority's orders are signed (DESIGN §5): each authority allows some of these, and
    the head chooses one on the order's page."""

    BROWSER = "browser", "квалифицированной подписью руководителя в браузере (КриптоПро ЭЦП Browser plug-in)"
    DETACHED = "detached", "файлом подписи .sig, созданным в КриптоАРМ или СЭД"
    PAPER = "paper", "на бумаге: собственноручная подпись и скан подписанного экземпляра"
    SERVER = "server", "ключом органа на сервере"


def default_signing_methods() -> list[str]:
    return [method.value for method in SigningMethod]
