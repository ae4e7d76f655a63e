from django import forms
from django.conf import settings

from schools.choices import FlagSource
from vprplan.uploads import check_upload


class FlagImportForm(forms.Form):
    file = forms.FileField(
        label="Перечень ОО (.xlsx)",
        help_text="Столбцы находятся по заголовкам: «Логин ОО» (логин ФИС ОКО) и/или «Наименование ОО», "
        "«Предмет», «Класс»; по желанию «Муниципалитет», «Маркеры».",
    )
    year = forms.IntegerField(label="Год ВПР, за который выявлены признаки", min_value=2015, max_value=2100)
    source = forms.ChoiceField(label="Источник", choices=FlagSource.choices, initial=FlagSource.ROSOBRNADZOR)

    def clean_file(self):
        # By content, before openpyxl sees it (vprplan.uploads): a zip bomb never reaches the reader.
        return check_upload(
            self.cleaned_data["file"],
            kinds=("xlsx",),
            max_bytes=settings.RESULTS_IMPORT_MAX_BYTES,
            refused="Файл не читается как таблица Excel (.xlsx). Файл в старом формате .xls откройте в Excel "
            "или LibreOffice и сохраните как .xlsx.",
        ).upload
