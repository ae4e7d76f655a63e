import re

from django import forms
from django.conf import settings

from activities.models.plans import period_problem
from reports.imports.draft import PlanDraft, read_plan
from reports.imports.errors import ImportFileError
from reports.imports.readers import max_upload_bytes
from reports.models import Order
from schools.models import Organization
from vprplan.importing import size_label
from vprplan.uploads import check_upload, display_name
from vprplan.widgets import DateInput, name_empty_choices

EXTENSIONS = (".docx", ".xlsx", ".csv")


class PlanUploadForm(forms.Form):
    owner = forms.ModelChoiceField(label="Организация", queryset=Organization.objects.none())
    file = forms.FileField(
        label="Файл плана",
        help_text="Документ Word (.docx), таблица Excel (.xlsx) или CSV (UTF-8 или Windows-1251, «;» или «,»).",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, owners: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organization.objects.filter(pk__in=[o.pk for o in owners])
        if len(owners) == 1:
            self.fields["owner"].initial = owners[0].pk
        self.fields["file"].help_text += f" Не больше {size_label(max_upload_bytes())}."
        name_empty_choices(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                "Поддерживаются документы Word (.docx), таблицы Excel (.xlsx) и файлы CSV. "
                "Файл .doc или .xls сохраните в новом формате."
            )
        # The content decides (and a zip bomb is refused) before python-docx or openpyxl open it.
        checked = check_upload(
            upload,
            kinds=("docx", "xlsx", "csv"),
            max_bytes=max_upload_bytes(),
            refused=f"«{display_name(name)}»: файл повреждён или это не документ Word (.docx), таблица Excel (.xlsx) "
            "или CSV. Откройте его в Word или Excel, сохраните заново и загрузите ещё раз.",
        )
        try:
            self.draft: PlanDraft = read_plan(checked.read(), checked.name)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class ImportConfirmForm(forms.Form):
    title = forms.CharField(label="Наименование плана", widget=forms.Textarea(attrs={"rows": 2}))
    period_start = forms.DateField(label="Начало периода", widget=DateInput)
    period_end = forms.DateField(label="Конец периода", widget=DateInput)

    def clean(self):
        data = super().clean()
        if problem := period_problem(data.get("period_start"), data.get("period_end")):
            raise forms.ValidationError(problem)
        return data


class OrderForm(forms.ModelForm):
    """A draft order. Clauses are one per line; they are numbered when printed."""

    clauses_text = forms.CharField(
        label="Пункты после «ПРИКАЗЫВАЮ:»",
        help_text="Один пункт — одна строка; номера проставятся при печати.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    class Meta:
        model = Order
        fields = [
            "number",
            "place",
            "title",
            "preamble",
            "signatory_position",
            "signatory_name",
            "executor_name",
            "executor_phone",
            "distribution",
            "authority_name",
            "authority_name_local",
            "authority_genitive",
            "kind_local",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "preamble": forms.Textarea(attrs={"rows": 3}),
            "distribution": forms.Textarea(attrs={"rows": 4}),
            "authority_name": forms.Textarea(attrs={"rows": 2}),
            "authority_name_local": forms.Textarea(attrs={"rows": 2}),
            "authority_genitive": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].label = "Номер по бумажному журналу регистрации"
        self.fields["clauses_text"].initial = "\n".join(self.instance.clauses or [])

    def clean_clauses_text(self) -> list[str]:
        # A clerk may paste «1. …» from Word: the numbers are the document's, not the text's.
        lines = [line.strip() for line in self.cleaned_data["clauses_text"].splitlines()]
        clauses = [re.sub(r"^\d+[.)]\s*", "", line) for line in lines if line]
        if not clauses:
            raise forms.ValidationError("Нужен хотя бы один пункт.")
        return clauses

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["clauses"] = self.cleaned_data["clauses_text"]
        return data

    def _post_clean(self):
        # Uniqueness of the number is the service's to check (with a message naming the year).
        pass


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="Файл PDF или скан",
        help_text="PDF приказа (до 30 МБ) или скан подписанного на бумаге экземпляра (PDF, JPEG, PNG).",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf,.jpg,.jpeg,.png"}),
    )
    signature = forms.FileField(
        label="Файл подписи (.sig), если есть",
        required=False,
        help_text="Откреплённая подпись приказа, подписанного квалифицированной подписью руководителя.",
        widget=forms.ClearableFileInput(attrs={"accept": ".sig,.p7s,.sgn"}),
    )

    def clean_file(self):
        # Any name will do (the file is only hashed and its signature read), but it must be a PDF
        # (or the image of a scan); one with bytes appended after %%EOF is reported as altered,
        # not refused as broken.
        checked = check_upload(
            self.cleaned_data["file"],
            kinds=("pdf", "jpg", "png"),
            max_bytes=settings.VERIFY_MAX_BYTES,
            match_extension=False,
            pdf_complete=False,
            refused="Это не PDF и не скан. Загрузите файл документа в формате PDF (скан — PDF, JPEG или PNG).",
        )
        self.data_bytes, self.kind = checked.read(), checked.kind
        return checked.upload

    def clean_signature(self):
        upload = self.cleaned_data.get("signature")
        self.signature_bytes = None
        if upload is None:
            return upload
        limit = settings.SIGNATURE_MAX_BYTES
        if upload.size > limit:  # before reading anything
            raise forms.ValidationError(
                f"Файл подписи больше {limit // 1024} КБ: откреплённая подпись документа так велика не бывает."
            )
        upload.seek(0)
        self.signature_bytes = upload.read(limit + 1)
        return upload
