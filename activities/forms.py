from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from activities.choices import ExecutionLevel, PlanKind, TargetKind
from activities.models import Activity, Plan
from activities.models.plans import PERIOD_HELP, period_problem
from activities.services.editor import ACTIVITY_M2M, activity_links
from schools.choices import OrgKind
from schools.models import Organization
from vprplan.widgets import DateInput, name_empty_choices


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
        name_empty_choices(self)


class PlanCopyForm(forms.Form):
    period_start = forms.DateField(label="Начало нового периода", widget=DateInput)
    period_end = forms.DateField(label="Конец нового периода", widget=DateInput, help_text=PERIOD_HELP)

    def clean(self):
        data = super().clean()
        if problem := period_problem(data.get("period_start"), data.get("period_end")):
            raise forms.ValidationError(problem)
        return data


def link_scopes(owner: Organization) -> dict[str, Q]:
    """The roles, people and schools an activity of `owner`'s plan may name: the shared roles and
    those of the owner and its municipality, the people of the owner and its municipality, the
    municipality's active schools. Another municipality's are not offered, and a posted id of
    one is refused."""
    municipality_id = owner.municipality_id_or_self
    return {
        "responsible_roles": Q(owner__isnull=True) | Q(owner=owner) | Q(owner_id=municipality_id),
        "responsible_persons": Q(organization_id__in=[owner.pk, municipality_id]),
        "target_schools": Q(kind=OrgKind.SCHOOL, municipality_id=municipality_id, is_active=True),
    }


class ScopedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a LinkChoiceField, reading its queryset when iterated, not when made."""

    def __init__(self, field):
        self.field = field

    @property
    def queryset(self):
        return self.field.queryset


class LinkChoiceField(forms.ModelMultipleChoiceField):
    """An activity's roles, people or schools, cleaned to a list of ids.

    The ids the activity already links (`linked`, read once with its other links) stay as they
    are; only the ids a save adds are looked up, in one query of the field's queryset (its scope).
    A save that keeps its links asks nothing more, and an added id outside the choices is refused
    with Django's message, as a ModelMultipleChoiceField refuses it. Keeping a link adds nothing:
    the editor offers only the choices, so a kept link out of them can only be a tampered post
    that leaves the activity as it was."""

    iterator = ScopedChoiceIterator
    linked: frozenset[int] = frozenset()
    scope: tuple | None = None  # (model, Q): the choices, built into a queryset when first needed

    def _scoped(self):
        if self.scope is not None:
            model, condition = self.scope
            self.scope = None
            self.queryset = model.objects.filter(condition)
        return forms.ModelMultipleChoiceField.queryset.fget(self)

    # Building the three scoped querysets cost ≈ 40% of the form's Python; a save that keeps its
    # links needs none of them, a rendered form or an added id builds its own.
    queryset = property(_scoped, forms.ModelMultipleChoiceField.queryset.fset)

    def clean(self, value) -> list[int]:
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, (list, tuple)):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        ids = {}
        for raw in value:
            self.validate_no_null_characters(raw)
            try:
                pk = int(raw)
            except (ValueError, TypeError):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": raw}
                ) from None
            if not 0 < pk < 2**63:  # no row has it; the database would not even take it (a 500)
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": raw}
                )
            ids[pk] = raw
        added = ids.keys() - self.linked
        if added:
            found = set(self.queryset.filter(pk__in=added).values_list("pk", flat=True))
            for pk in sorted(added - found):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ids[pk]}
                )
        self.run_validators(value)
        return list(ids)


def _link_field(name: str) -> LinkChoiceField:
    """The model's field as a ModelForm would make it (label, help, required), cleaned to ids.
    Its queryset is the form's, scoped to the plan (`link_scopes`): none to copy for each form,
    and no `limit_choices_to` filter that the ModelForm would add (a subquery) and the scope
    replaces."""
    return Activity._meta.get_field(name).formfield(
        form_class=LinkChoiceField, widget=forms.CheckboxSelectMultiple, queryset=None, limit_choices_to=None
    )


# The editor form's fields in the order it shows them; the links (ACTIVITY_M2M) are declared fields.
EDITOR_FIELDS = [
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


class ActivityForm(forms.ModelForm):
    """The editor's form of one activity. Its roles, people and schools are read once, in one
    query (`links`, passed on to the save for its history); the form's initial choices and the
    check of the posted ids both come from that read."""

    DEADLINE_MODES = [("auto", "понять из текста"), ("manual", "без расчёта дат (вручную)")]

    version = forms.IntegerField(widget=forms.HiddenInput)
    deadline_mode = forms.ChoiceField(label="Срок", choices=DEADLINE_MODES, initial="auto")
    new_person = forms.CharField(
        label="Другое ответственное лицо",
        required=False,
        help_text="«Фамилия И.О., должность», например «Фильчук Л.А., ведущий специалист».",
    )
    # Declared, not listed in Meta.fields: the ModelForm would read each from the instance.
    responsible_roles = _link_field("responsible_roles")
    responsible_persons = _link_field("responsible_persons")
    target_schools = _link_field("target_schools")

    field_order = EDITOR_FIELDS

    class Meta:
        model = Activity
        fields = [name for name in EDITOR_FIELDS if name not in ACTIVITY_M2M]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "responsible_text": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 1}),
            "execution_level": forms.RadioSelect,
            "target_kind": forms.RadioSelect,
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        scopes = link_scopes(plan.owner)
        self.links = activity_links(self.instance) if self.instance.pk else {n: set() for n in ACTIVITY_M2M}
        for name in ACTIVITY_M2M:
            field = self.fields[name]
            field.scope = (Activity._meta.get_field(name).related_model, scopes[name])
            field.widget.choices = field.choices  # this field's, not the class's (no query yet)
            field.linked = frozenset(self.links[name])
            self.initial.setdefault(name, sorted(field.linked))
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
        if plan.owner.is_school:
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

    def chosen(self, name: str) -> list:
        """The objects of a cleaned link field, in the order of its choices (one query)."""
        ids = self.cleaned_data.get(name) or []
        return list(self.fields[name].queryset.filter(pk__in=ids)) if ids else []


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
