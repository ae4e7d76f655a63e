from django.db import models


class OrgKind(models.TextChoices):
    REGION = "region", "регион"
    MUNICIPALITY = "municipality", "муниципалитет"
    SCHOOL = "school", "образовательная организация"


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


class Role(models.TextChoices):
    """What a user does in an organisation (DESIGN.md §1)."""

    REGIONAL_ADMIN = "regional_admin", "Региональный администратор"
    HEAD = "head", "Руководитель органа управления образованием"
    MUNICIPAL_COORDINATOR = "municipal_coordinator", "Муниципальный координатор ВПР"
    SPECIALIST = "specialist", "Ответственный специалист"
    SCHOOL_COORDINATOR = "school_coordinator", "Школьный координатор ВПР / руководитель ОО"
    OBSERVER = "observer", "Общественный наблюдатель"


# Which kind of organisation each role is held in.
ROLE_ORG_KIND = {
    Role.REGIONAL_ADMIN: OrgKind.REGION,
    Role.HEAD: OrgKind.MUNICIPALITY,
    Role.MUNICIPAL_COORDINATOR: OrgKind.MUNICIPALITY,
    Role.SPECIALIST: OrgKind.MUNICIPALITY,
    Role.SCHOOL_COORDINATOR: OrgKind.SCHOOL,
    Role.OBSERVER: OrgKind.MUNICIPALITY,
}

MUNICIPAL_STAFF = frozenset({Role.HEAD, Role.MUNICIPAL_COORDINATOR, Role.SPECIALIST})


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
