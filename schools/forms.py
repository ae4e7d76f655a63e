from django import forms
from django.conf import settings

from schools.choices import FlagSource


class FlagImportForm(forms.Form):
    file = forms.FileField(
        label="Перечень ОО (.xlsx)",
        help_text="Столбцы находятся по заголовкам: «Логин ОО» (логин ФИС ОКО) и/или «Наименование ОО», "
        "«Предмет», «Класс»; по желанию «Муниципалитет», «Маркеры».",
    )
    year = forms.IntegerField(label="Год ВПР, за который выявлены признаки", min_value=2015, max_value=2100)
    source = forms.ChoiceField(label="Источник", choices=FlagSource.choices, initial=FlagSource.ROSOBRNADZOR)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.RESULTS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"Файл больше {limit // (1024 * 1024)} МБ.")
        return upload
