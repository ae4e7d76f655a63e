from datetime import date

from django import forms
from django.db.models import Q

from activities.choices import ExecutionLevel, PlanKind, TargetKind
from activities.models import Activity, Plan, ResponsiblePerson, ResponsibleRole
from activities.models.plans import PERIOD_HELP, period_problem
from schools.models import Organization
from vprplan.widgets import DateInput


class LinesField(forms.CharField):
    """A list of strings edited as lines of a textarea (goals, tasks)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PlanSettingsForm(forms.ModelForm):
    goals = LinesField(label="Цели (по одной в строке)", required=False)
    tasks = LinesField(label="Задачи (по одной в строке)", required=False)

    class Meta:
        model = Plan
        fields = [
            "title",
            "kind",
            "period_text",
            "period_start",
            "period_end",
            "section_numbering",
            "goals",
            "tasks",
            "introduction",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "period_start": DateInput,
            "period_end": DateInput,
        }
        help_texts = {"period_end": PERIOD_HELP}


def academic_year(today: date) -> tuple[date, date]:
    start_year = today.year if today.month >= 9 else today.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


class PlanCreateForm(PlanSettingsForm):
    owner = forms.ModelChoiceField(label="Организация", queryset=Organization.objects.none())
    model_plan = forms.ModelChoiceField(
        label="Взять за основу",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="пустой план",
        help_text="Например, региональный примерный план.",
    )

    class Meta(PlanSettingsForm.Meta):
        fields = ["owner", *PlanSettingsForm.Meta.fields]

    def __init__(self, *args, owners: list[Organization], model_plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organization.objects.filter(pk__in=[o.pk for o in owners])
        if len(owners) == 1:
            self.fields["owner"].initial = owners[0].pk
        self.fields["model_plan"].queryset = model_plans
        self.fields["model_plan"].label_from_instance = lambda p: f"{p.owner}: {p.title}"
        start, end = academic_year(date.today())
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = end
        self.fields["period_text"].initial = f"{start.year}-{end.year} учебный год"
        self.fields["kind"].initial = PlanKind.ROADMAP
        self.fields["title"].initial = (
            "План мероприятий («Дорожная карта») по обеспечению объективности результатов "
            f"всероссийских проверочных работ в {start.year}-{end.year} учебном году"
        )


class PlanCopyForm(forms.Form):
    period_start = forms.DateField(label="Начало нового периода", widget=DateInput)
    period_end = forms.DateField(label="Конец нового периода", widget=DateInput, help_text=PERIOD_HELP)

    def clean(self):
        data = super().clean()
        if problem := period_problem(data.get("period_start"), data.get("period_end")):
            raise forms.ValidationError(problem)
        return data


class ActivityForm(forms.ModelForm):
    DEADLINE_MODES = [("auto", "понять из текста"), ("manual", "без расчёта дат (вручную)")]

    version = forms.IntegerField(widget=forms.HiddenInput)
    deadline_mode = forms.ChoiceField(label="Срок", choices=DEADLINE_MODES, initial="auto")
    new_person = forms.CharField(
        label="Другое ответственное лицо",
        required=False,
        help_text="«Фамилия И.О., должность», например «Фильчук Л.А., ведущий специалист».",
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "deadline_text",
            "responsible_text",
            "responsible_roles",
            "responsible_persons",
            "expected_result",
            "evidence_form",
            "evidence_required",
            "note",
            "execution_level",
            "target_kind",
            "target_flag_year",
            "target_schools",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "responsible_text": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 1}),
            "responsible_roles": forms.CheckboxSelectMultiple,
            "responsible_persons": forms.CheckboxSelectMultiple,
            "target_schools": forms.CheckboxSelectMultiple,
            "execution_level": forms.RadioSelect,
            "target_kind": forms.RadioSelect,
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        owner = plan.owner
        municipality_id = owner.municipality_id_or_self
        self.fields["responsible_roles"].queryset = ResponsibleRole.objects.filter(
            Q(owner__isnull=True) | Q(owner=owner) | Q(owner_id=municipality_id)
        )
        self.fields["responsible_persons"].queryset = ResponsiblePerson.objects.filter(
            organization_id__in=[owner.pk, municipality_id]
        )
        self.fields["target_schools"].queryset = Organization.objects.schools().filter(
            municipality_id=municipality_id, is_active=True
        )
        self.fields["responsible_text"].required = False
        self.fields[
            "responsible_text"
        ].help_text = "Как печатать в документе; пусто — из выбранных ролей и лиц."
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["deadline_mode"].initial = (
                "manual"
                if self.instance.deadline_confirmed and self.instance.deadline_kind == "manual"
                else "auto"
            )
        if owner.is_school:
            for name in ("execution_level", "target_kind", "target_flag_year", "target_schools"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("execution_level") == ExecutionLevel.SCHOOL:
            if data.get("target_kind") == TargetKind.FLAGGED and not data.get("target_flag_year"):
                self.add_error(
                    "target_flag_year", "Укажите год, за который выявлены признаки необъективности."
                )
            if data.get("target_kind") == TargetKind.CHOSEN and not data.get("target_schools"):
                self.add_error("target_schools", "Выберите хотя бы одну ОО.")
        new_person = (data.get("new_person") or "").strip()
        if new_person and "," not in new_person and len(new_person.split()) < 2:
            self.add_error("new_person", "Напишите фамилию с инициалами и, через запятую, должность.")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by the service (activities.evidence)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ExecutionReportForm(forms.Form):
    """A school's (or the authority's) report on an execution: what was done, and the proof."""

    comment = forms.CharField(
        label="Комментарий",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Что сделано: приказ № …, дата, участники"}),
    )
    files = MultipleFileField(label="Подтверждающие документы", required=False)

    def __init__(self, *args, accept: str = "", help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = accept
        self.fields["files"].help_text = help_text


class ExecutionReviewForm(forms.Form):
    comment = forms.CharField(
        label="Комментарий для школы",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Что исправить или дополнить"}),
    )
