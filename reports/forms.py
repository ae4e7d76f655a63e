from django import forms

from reports.imports.draft import PlanDraft, read_plan
from reports.imports.errors import ImportFileError
from reports.imports.readers import max_upload_bytes, size_label
from schools.models import Organization

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

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                "Поддерживаются документы Word (.docx), таблицы Excel (.xlsx) и файлы CSV. "
                "Файл .doc или .xls сохраните в новом формате."
            )
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(f"Файл больше {size_label(max_upload_bytes())}.")
        try:
            self.draft: PlanDraft = read_plan(upload.read(), name)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class ImportConfirmForm(forms.Form):
    title = forms.CharField(label="Наименование плана", widget=forms.Textarea(attrs={"rows": 2}))
    period_start = forms.DateField(
        label="Начало периода", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label="Конец периода", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_start"] > data["period_end"]:
            raise forms.ValidationError("Конец периода раньше его начала.")
        return data
