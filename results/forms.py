from django import forms

from results import rechecks
from schools.models import Organization
from schools.models.vpr import VPR_SUBJECTS
from vprplan.errors import DomainError
from vprplan.uploads import XlsxUploadField
from vprplan.widgets import DateInput, name_empty_choices

SUBJECT_CHOICES = [("", "— из файла —")] + [(s, s) for s in VPR_SUBJECTS]
DATE = DateInput()


class ResultImportForm(forms.Form):
    file = XlsxUploadField(
        label="Выгрузка ФИС ОКО (.xlsx)",
        max_bytes_setting="RESULTS_IMPORT_MAX_BYTES",
        help_text="«Статистика по отметкам», «Распределение первичных баллов» или «Сравнение отметок с "
        "отметками по журналу»; можно несколько листов в одном файле.",
    )
    year = forms.IntegerField(
        label="Год ВПР, если его нет в файле", required=False, min_value=2015, max_value=2100
    )
    subject = forms.ChoiceField(
        label="Предмет, если его нет в файле", choices=SUBJECT_CHOICES, required=False
    )
    grade = forms.IntegerField(label="Класс, если его нет в файле", required=False, min_value=2, max_value=11)


class ScoresField(forms.CharField):
    """Scores per task typed as «1 0 2 1 …»."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        try:
            return rechecks.parse_scores(value)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error


class RecheckForm(forms.Form):
    school = forms.ModelChoiceField(
        label="ОО, работы которой перепроверяются", queryset=Organization.objects.none()
    )
    year = forms.IntegerField(label="Год ВПР", min_value=2015, max_value=2100)
    subject = forms.ChoiceField(label="Предмет", choices=[(s, s) for s in VPR_SUBJECTS])
    grade = forms.IntegerField(label="Класс", min_value=2, max_value=11)
    task_max_scores = ScoresField(
        label="Максимальные баллы по заданиям",
        help_text="Через пробел, по порядку заданий, например «1 1 2 2 1 2 3».",
    )
    starts_on = forms.DateField(label="Начало", widget=DATE)
    ends_on = forms.DateField(label="Окончание (план)", widget=DATE)
    basis = forms.CharField(label="Основание", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    commission_order = forms.CharField(label="Приказ о комиссии", required=False, max_length=200)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools.order_by("name")
        name_empty_choices(self)

    def clean_task_max_scores(self):
        scores = self.cleaned_data["task_max_scores"]
        if not scores or any(s < 1 for s in scores):
            raise forms.ValidationError("Укажите максимальный балл каждого задания (от 1).")
        return scores


class ExpertForm(forms.Form):
    full_name = forms.CharField(label="ФИО", max_length=200)
    position = forms.CharField(label="Должность", max_length=200, required=False)
    workplace = forms.ModelChoiceField(label="Место работы", queryset=Organization.objects.none())
    is_chair = forms.BooleanField(label="Председатель комиссии", required=False)
    teaches_school = forms.ModelChoiceField(
        label="Ведёт уроки также в ОО (совместительство)",
        queryset=Organization.objects.none(),
        required=False,
    )
    teaches_classes = forms.CharField(
        label="Классы, в которых ведёт уроки там",
        max_length=200,
        required=False,
        help_text="Например «5 А, 6 Б».",
    )

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        if places is not None:
            self.fields["workplace"].queryset = places
            self.fields["teaches_school"].queryset = places


class WorkForm(forms.Form):
    participant_code = forms.CharField(label="Код участника", max_length=20)
    class_label = forms.CharField(label="Класс", max_length=10, help_text="Например «5 А».")
    original_scores = ScoresField(label="Баллы ОО по заданиям", help_text="Через пробел, по порядку заданий.")


class ScoreForm(forms.Form):
    rechecked_scores = ScoresField(label="Баллы перепроверки по заданиям")
    expert = forms.ModelChoiceField(label="Эксперт", queryset=None, required=False)

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class FinishForm(forms.Form):
    conclusion = forms.CharField(label="Выводы комиссии", widget=forms.Textarea(attrs={"rows": 3}))
