from django import forms

from schools.choices import FlagSource
from schools.models import VprSession
from schools.models.vpr import VPR_SUBJECTS
from vprplan.uploads import XlsxUploadField
from vprplan.widgets import DateInput

DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class FlagImportForm(forms.Form):
    file = XlsxUploadField(
        max_bytes_setting="RESULTS_IMPORT_MAX_BYTES",
        label="Перечень ОО (.xlsx)",
        help_text="Столбцы находятся по заголовкам: «Логин ОО» (логин ФИС ОКО) и/или «Наименование ОО», "
        "«Предмет», «Класс»; по желанию «Муниципалитет», «Маркеры».",
    )
    year = forms.IntegerField(label="Год ВПР, за который выявлены признаки", min_value=2015, max_value=2100)
    source = forms.ChoiceField(label="Источник", choices=FlagSource.choices, initial=FlagSource.ROSOBRNADZOR)


class SessionForm(forms.ModelForm):
    class Meta:
        model = VprSession
        fields = ["school", "subject", "grade", "class_letters", "date", "starts_at", "ends_at", "form",
                  "auditoriums", "participants", "note"]  # fmt: skip
        widgets = {
            "date": DATE,
            "starts_at": TIME,
            "ends_at": TIME,
            "subject": forms.TextInput(attrs={"list": "vpr-subjects"}),
        }

    subjects = VPR_SUBJECTS

    def __init__(self, *args, schools, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = None
        self.instance.campaign = campaign  # the model's checks need it

    def clean(self):
        data = super().clean()
        key = {name: data.get(name) for name in ("school", "subject", "grade", "class_letters")}
        if all(key[n] for n in ("school", "subject", "grade")):
            twins = VprSession.objects.filter(campaign=self.instance.campaign, **key).exclude(
                pk=self.instance.pk
            )
            if twins.exists():
                raise forms.ValidationError("Эта работа (предмет, класс, литеры) уже есть в графике ОО.")
        return data


class ScheduleUploadForm(forms.Form):
    file = XlsxUploadField(label="Файл .xlsx", max_bytes_setting="SCHEDULE_IMPORT_MAX_BYTES")
