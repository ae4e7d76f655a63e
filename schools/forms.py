from django import forms

from schools.choices import FlagSource
from vprplan.uploads import XlsxUploadField


class FlagImportForm(forms.Form):
    file = XlsxUploadField(
        max_bytes_setting="RESULTS_IMPORT_MAX_BYTES",
        label="Перечень ОО (.xlsx)",
        help_text="Столбцы находятся по заголовкам: «Логин ОО» (логин ФИС ОКО) и/или «Наименование ОО», "
        "«Предмет», «Класс»; по желанию «Муниципалитет», «Маркеры».",
    )
    year = forms.IntegerField(label="Год ВПР, за который выявлены признаки", min_value=2015, max_value=2100)
    source = forms.ChoiceField(label="Источник", choices=FlagSource.choices, initial=FlagSource.ROSOBRNADZOR)
