"""Plan imports waiting for their confirmation; orders (приказы) and their signed PDF documents
(rendered files, vprplan.models.RenderedFile)."""

from django.conf import settings
from django.db import models

from schools.choices import SigningMethod
from vprplan.models import RenderedFile, TimeStampedModel


class PlanImport(TimeStampedModel):
    """A plan file read for import, kept between its preview and the user's confirmation.

    Only what was read is stored (the draft as JSON), not the file itself: the confirmation
    writes exactly what the preview showed.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "предпросмотр"
        IMPORTED = "imported", "загружен"

    owner = models.ForeignKey(
        "schools.Organization", verbose_name="организация", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="загрузил", on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField("имя файла", max_length=255)
    format = models.CharField("формат", max_length=8)
    draft = models.JSONField("прочитано из файла")
    status = models.CharField("состояние", max_length=16, choices=Status.choices, default=Status.PREVIEW)
    plan = models.ForeignKey(
        "activities.Plan",
        verbose_name="созданный план",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "загрузка плана"
        verbose_name_plural = "загрузки планов"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class OrderStatus(models.TextChoices):
    DRAFT = "draft", "проект"
    SIGNING = "signing", "подписывается"
    SIGNED = "signed", "подписан"


class Order(TimeStampedModel):
    """A приказ of a municipality's education authority that approves a plan (its appendix).

    What the blank prints (the authority's names, the document kind in the second language) is
    copied from the authority when the order is prepared: a signed order keeps what it said even
    after the authority is renamed. Numbers are unique per authority and calendar year (the
    authority's register). A signed order never changes; a correction is a new order.
    """

    organization = models.ForeignKey(
        "schools.Organization", verbose_name="муниципалитет", on_delete=models.PROTECT, related_name="orders"
    )
    plan = models.ForeignKey(
        "activities.Plan", verbose_name="приложение: план", on_delete=models.PROTECT, related_name="orders"
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name="взамен приказа",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    status = models.CharField(
        "состояние", max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT, db_index=True
    )
    # Given at signing (registration): the register's next number unless the clerk entered the
    # number of a paper register, and the signing day in the region's time zone. A draft has none.
    number = models.CharField(
        "номер",
        max_length=32,
        blank=True,
        help_text="Оставьте пустым: номер по реестру присвоится при подписании. "
        "Заполните, только если приказ регистрируется в бумажном журнале.",
    )
    number_assigned = models.BooleanField("номер присвоен при подписании", default=False, editable=False)
    year = models.PositiveSmallIntegerField("год регистрации", null=True, blank=True, editable=False)
    date = models.DateField("дата", null=True, blank=True, editable=False)
    place = models.CharField("место издания", max_length=100, blank=True)
    authority_name = models.CharField("наименование органа", max_length=500)
    authority_name_local = models.CharField("наименование на втором языке", max_length=500, blank=True)
    authority_genitive = models.CharField("наименование органа в родительном падеже", max_length=500)
    kind_local = models.CharField(
        "вид документа на втором языке", max_length=64, blank=True, help_text="Например «ТШӦКТӦД»."
    )
    title = models.TextField("заголовок")
    preamble = models.TextField("преамбула", blank=True)
    clauses = models.JSONField("пункты после «ПРИКАЗЫВАЮ:»", default=list, blank=True)
    signatory_position = models.CharField("должность подписывающего", max_length=200)
    signatory_name = models.CharField("подписывает (И.О. Фамилия)", max_length=200)
    executor_name = models.CharField("исполнитель", max_length=200, blank=True)
    executor_phone = models.CharField("телефон исполнителя", max_length=64, blank=True)
    distribution = models.TextField("рассылка", blank=True, help_text="Строка на адресата.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подготовил",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подписал",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField("подписан", null=True, blank=True)

    class Meta:
        verbose_name = "приказ"
        verbose_name_plural = "приказы"
        ordering = [models.F("date").desc(nulls_first=True), "-pk"]  # drafts first
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"],
                condition=~models.Q(number=""),
                name="order_number_unique_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"Приказ {self.requisites}"

    def save(self, *args, **kwargs) -> None:
        self.year = self.date.year if self.date else None
        super().save(*args, **kwargs)

    @property
    def requisites(self) -> str:
        """«от 29.02.2024 № 51»: how other documents cite this one; a draft has blanks."""
        day = f"{self.date:%d.%m.%Y}" if self.date else "__.__.____"
        return f"от {day} № {self.number or '____'}"

    @property
    def approval_text(self) -> str:
        return f"УТВЕРЖДЕН приказом {self.authority_genitive} {self.requisites}"

    @property
    def is_draft(self) -> bool:
        return self.status == OrderStatus.DRAFT


METHOD_TEXT = {
    SigningMethod.BROWSER: "квалифицированной электронной подписью руководителя (КриптоПро ЭЦП Browser plug-in)",
    SigningMethod.DETACHED: "квалифицированной электронной подписью руководителя (файл подписи .sig)",
    SigningMethod.PAPER: "собственноручной подписью на бумаге; опубликован скан подписанного экземпляра",
    SigningMethod.SERVER: "электронной подписью органа управления образованием (ключ на сервере)",
}


class OrderDocument(RenderedFile):
    """One rendering of an order as a signed PDF: the record the status page polls (a rendered
    file, claimed, failed and stored as every other), the file the public downloads, and what
    /verify/<id>/ shows. Once signed it never changes (save() refuses): its SHA-256 is what an
    uploaded copy is compared with."""

    class Status(models.TextChoices):
        PENDING = "pending", "в очереди"
        RENDERING = "rendering", "формируется и подписывается"
        AWAITING_SIGNATURE = "awaiting_signature", "ожидает подписи руководителя"
        AWAITING_SCAN = "awaiting_scan", "ожидает скан подписанного экземпляра"
        SIGNED = "signed", "подписан"
        FAILED = "failed", "ошибка"

    # A failure never overwrites a signed document (a second run of a finished job).
    FINAL = (Status.SIGNED,)

    method = models.CharField(
        "способ подписи", max_length=16, choices=SigningMethod.choices, default=SigningMethod.SERVER
    )
    order = models.ForeignKey(
        Order, verbose_name="приказ", on_delete=models.PROTECT, related_name="documents"
    )
    status = models.CharField(
        "состояние", max_length=24, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подписывает",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField("файл", upload_to="orders/%Y/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    pages = models.PositiveSmallIntegerField("страниц", default=0)
    signer = models.CharField("средство подписи", max_length=100, blank=True)
    certificate_serial = models.CharField("серийный номер сертификата", max_length=64, blank=True)
    certificate_owner = models.CharField("владелец сертификата", max_length=300, blank=True)
    certificate_valid_from = models.DateTimeField("сертификат действителен с", null=True, blank=True)
    certificate_valid_to = models.DateTimeField("сертификат действителен по", null=True, blank=True)
    certificate_der = models.BinaryField("сертификат", blank=True, default=b"")
    signature_digest = models.CharField("подписанный хеш", max_length=128, blank=True, db_index=True)
    signed_at = models.DateTimeField("подписан", null=True, blank=True)
    # The external ways: the detached signature (CAdES, .sig) over `file`, or the scan of the paper
    # original signed by hand. `file` is then the PDF as rendered, the bytes that were signed.
    signature = models.FileField("файл подписи (.sig)", upload_to="orders/%Y/", blank=True)
    signature_sha256 = models.CharField("SHA-256 файла подписи", max_length=64, blank=True, db_index=True)
    scan = models.FileField("скан подписанного экземпляра", upload_to="orders/%Y/", blank=True)
    scan_sha256 = models.CharField("SHA-256 скана", max_length=64, blank=True, db_index=True)
    scan_kind = models.CharField("формат скана", max_length=8, blank=True)

    class Meta:
        verbose_name = "подписанный документ"
        verbose_name_plural = "подписанные документы"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.order}: {self.get_status_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.SIGNED:
                raise ValueError("Подписанный документ не изменяется: исправление — новый документ.")
        super().save(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def is_awaiting(self) -> bool:
        return self.status in (self.Status.AWAITING_SIGNATURE, self.Status.AWAITING_SCAN)

    @property
    def method_text(self) -> str:
        """How it was signed, as the public page and the history say it."""
        return METHOD_TEXT.get(self.method, "")

    @property
    def file_name(self) -> str:
        day = f"{self.order.date:%Y-%m-%d}" if self.order.date else "proekt"
        return f"prikaz-{self.order.organization.code}-{day}-{self.order.number}.pdf"
