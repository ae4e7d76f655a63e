"""Organisations (region → municipality → school), the education authority, memberships, flags."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from schools.choices import (
    ROLE_ORG_KIND,
    FlagSource,
    LegalForm,
    MunicipalityKind,
    OrgKind,
    Role,
    SchoolKind,
    SigningMethod,
    default_signing_methods,
)
from vprplan.models import TimeStampedModel

# Russia spans eleven zones; a region's own zone dates its deadlines and its morning reminders.
RUSSIAN_TIMEZONES = [
    ("Europe/Kaliningrad", "Калининград (МСК−1)"),
    ("Europe/Moscow", "Москва (МСК)"),
    ("Europe/Samara", "Самара (МСК+1)"),
    ("Europe/Ulyanovsk", "Ульяновск (МСК+1)"),
    ("Europe/Saratov", "Саратов (МСК+1)"),
    ("Europe/Astrakhan", "Астрахань (МСК+1)"),
    ("Asia/Yekaterinburg", "Екатеринбург (МСК+2)"),
    ("Asia/Omsk", "Омск (МСК+3)"),
    ("Asia/Novosibirsk", "Новосибирск (МСК+4)"),
    ("Asia/Barnaul", "Барнаул (МСК+4)"),
    ("Asia/Tomsk", "Томск (МСК+4)"),
    ("Asia/Novokuznetsk", "Новокузнецк (МСК+4)"),
    ("Asia/Krasnoyarsk", "Красноярск (МСК+4)"),
    ("Asia/Irkutsk", "Иркутск (МСК+5)"),
    ("Asia/Chita", "Чита (МСК+6)"),
    ("Asia/Yakutsk", "Якутск (МСК+6)"),
    ("Asia/Vladivostok", "Владивосток (МСК+7)"),
    ("Asia/Sakhalin", "Сахалин (МСК+8)"),
    ("Asia/Magadan", "Магадан (МСК+8)"),
    ("Asia/Srednekolymsk", "Среднеколымск (МСК+8)"),
    ("Asia/Kamchatka", "Камчатка (МСК+9)"),
    ("Asia/Anadyr", "Анадырь (МСК+9)"),
]


class OrganizationQuerySet(models.QuerySet):
    def regions(self):
        return self.filter(kind=OrgKind.REGION)

    def municipalities(self):
        return self.filter(kind=OrgKind.MUNICIPALITY)

    def schools(self):
        return self.filter(kind=OrgKind.SCHOOL)

    def within(self, org: "Organization") -> "OrganizationQuerySet":
        """The organisation itself and everything below it."""
        if org.kind == OrgKind.REGION:
            return self.filter(Q(pk=org.pk) | Q(region_id=org.pk))
        if org.kind == OrgKind.MUNICIPALITY:
            return self.filter(Q(pk=org.pk) | Q(municipality_id=org.pk))
        return self.filter(pk=org.pk)


class Organization(TimeStampedModel):
    """A region, a municipality or a school (ОО): one table, one tree.

    `region` and `municipality` repeat the ancestors of a row so that scoping a queryset to a
    region or a municipality is one indexed filter, not a walk up the tree.
    """

    kind = models.CharField("вид", max_length=16, choices=OrgKind.choices, db_index=True)
    code = models.SlugField(
        "код",
        max_length=64,
        unique=True,
        help_text="Латиницей, для адресов: /public/<код>/ (например, inta).",
    )
    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="входит в",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "self",
        verbose_name="регион",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "self",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    timezone = models.CharField(
        "часовой пояс", max_length=40, choices=RUSSIAN_TIMEZONES, default="Europe/Moscow"
    )
    address = models.CharField("адрес", max_length=500, blank=True)
    email = models.EmailField("эл. почта", blank=True)
    phone = models.CharField("телефон", max_length=64, blank=True)
    website = models.URLField("сайт", blank=True)

    # Municipality
    municipality_kind = models.CharField(
        "вид муниципального образования",
        max_length=16,
        choices=MunicipalityKind.choices,
        blank=True,
    )
    # School (ОО)
    legal_form = models.CharField(
        "организационно-правовая форма", max_length=8, choices=LegalForm.choices, blank=True
    )
    school_kind = models.CharField("тип ОО", max_length=16, choices=SchoolKind.choices, blank=True)
    fis_oko_login = models.CharField("логин ФИС ОКО", max_length=64, blank=True, db_index=True)
    director_name = models.CharField("директор", max_length=200, blank=True)
    is_active = models.BooleanField("действует", default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["kind", "name"]
        indexes = [
            models.Index(fields=["municipality", "kind"]),
            models.Index(fields=["region", "kind"]),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    PARENT_KIND = {OrgKind.MUNICIPALITY: OrgKind.REGION, OrgKind.SCHOOL: OrgKind.MUNICIPALITY}

    def clean(self) -> None:
        expected = self.PARENT_KIND.get(self.kind)
        if expected is None and self.parent_id:
            raise ValidationError({"parent": "Регион не входит в другую организацию."})
        if expected is not None and (self.parent is None or self.parent.kind != expected):
            raise ValidationError({"parent": f"Укажите, куда входит организация: {OrgKind(expected).label}."})

    def save(self, *args, **kwargs) -> None:
        parent = self.parent
        if self.kind == OrgKind.REGION:
            self.region_id, self.municipality_id = None, None
        elif self.kind == OrgKind.MUNICIPALITY and parent is not None:
            self.region_id, self.municipality_id = parent.pk, None
            self.timezone = parent.timezone
        elif self.kind == OrgKind.SCHOOL and parent is not None:
            self.region_id, self.municipality_id = parent.region_id, parent.pk
            self.timezone = parent.timezone
        super().save(*args, **kwargs)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def municipality_id_or_self(self) -> int | None:
        """The municipality this organisation belongs to (itself for a municipality)."""
        return self.pk if self.kind == OrgKind.MUNICIPALITY else self.municipality_id

    @property
    def is_school(self) -> bool:
        return self.kind == OrgKind.SCHOOL


class Region(Organization):
    class Meta:
        proxy = True
        verbose_name = "регион"
        verbose_name_plural = "регионы"


class Municipality(Organization):
    class Meta:
        proxy = True
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"


class School(Organization):
    class Meta:
        proxy = True
        verbose_name = "образовательная организация"
        verbose_name_plural = "образовательные организации"


class EducationAuthority(TimeStampedModel):
    """The орган управления образованием of a municipality: what heads its orders."""

    municipality = models.OneToOneField(
        Organization,
        verbose_name="муниципалитет",
        on_delete=models.CASCADE,
        related_name="authority",
        limit_choices_to={"kind": OrgKind.MUNICIPALITY},
    )
    full_name = models.CharField(
        "полное наименование",
        max_length=500,
        help_text="Как в бланке приказа, например «Отдел образования администрации "
        "муниципального округа «Инта»».",
    )
    full_name_local = models.CharField(
        "наименование на языке республики",
        max_length=500,
        blank=True,
        help_text="Второй язык бланка, например коми.",
    )
    order_kind_local = models.CharField(
        "вид документа «приказ» на языке республики",
        max_length=64,
        blank=True,
        help_text="Печатается под словом «ПРИКАЗ» в бланке, например «ТШӦКТӦД».",
    )
    short_name = models.CharField("сокращённое наименование", max_length=100, blank=True)
    genitive_name = models.CharField(
        "наименование в родительном падеже",
        max_length=500,
        blank=True,
        help_text="Для «Приложение к приказу …», например «Отдела образования администрации МО «Инта»».",
    )
    place = models.CharField("место издания приказов", max_length=100, blank=True)
    address = models.CharField("адрес", max_length=500, blank=True)
    head_position = models.CharField("должность руководителя", max_length=200, blank=True)
    head_name = models.CharField("руководитель (И.О. Фамилия)", max_length=200, blank=True)
    head_full_name = models.CharField("руководитель полностью", max_length=200, blank=True)
    phone = models.CharField("телефон", max_length=64, blank=True)
    website = models.URLField("сайт", blank=True)
    signing_methods = models.JSONField(
        "способы подписи приказов",
        default=default_signing_methods,
        blank=True,
        help_text="Какими способами руководитель может подписать приказ: предлагаются на странице приказа.",
    )

    class Meta:
        verbose_name = "орган управления образованием"
        verbose_name_plural = "органы управления образованием"

    def __str__(self) -> str:
        return self.short_name or self.full_name

    def clean(self) -> None:
        unknown = [m for m in self.signing_methods or [] if m not in SigningMethod.values]
        if not isinstance(self.signing_methods, list) or unknown:
            raise ValidationError({"signing_methods": "Неизвестный способ подписи."})

    @property
    def allowed_signing_methods(self) -> list[str]:
        """The ways this authority signs, in the order the page offers them (none chosen: all)."""
        chosen = [m for m in SigningMethod.values if m in (self.signing_methods or [])]
        return chosen or list(SigningMethod.values)


class Membership(TimeStampedModel):
    """A user's role in an organisation. A user may hold several, in several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="организация",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("роль", max_length=32, choices=Role.choices)
    position = models.CharField(
        "должность", max_length=200, blank=True, help_text="Например «ведущий специалист»."
    )

    class Meta:
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organization}"

    def clean(self) -> None:
        expected = ROLE_ORG_KIND.get(self.role)
        if expected and self.organization_id and self.organization.kind != expected:
            raise ValidationError(
                {"organization": f"Эта роль назначается в организации вида «{OrgKind(expected).label}»."}
            )


class UnobjectivityFlag(TimeStampedModel):
    """Признаки необъективности результатов of a school in a year: a marker, never a verdict."""

    school = models.ForeignKey(
        Organization,
        verbose_name="ОО",
        on_delete=models.CASCADE,
        related_name="flags",
        limit_choices_to={"kind": OrgKind.SCHOOL},
    )
    year = models.PositiveSmallIntegerField("год ВПР", db_index=True)
    source = models.CharField("источник", max_length=16, choices=FlagSource.choices)
    subjects = models.CharField("предметы", max_length=500, blank=True, help_text="Через запятую.")
    grades = models.CharField("классы", max_length=100, blank=True, help_text="Например «4, 5».")
    markers = models.TextField("маркеры", blank=True)
    note = models.TextField("примечание", blank=True)
    document = models.FileField("документ", upload_to="flags/%Y/", blank=True)

    class Meta:
        verbose_name = "признаки необъективности"
        verbose_name_plural = "признаки необъективности"
        ordering = ["-year", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "source"], name="flag_unique_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.school}, {self.year}: признаки необъективности ({self.get_source_display()})"
