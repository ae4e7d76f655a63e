from django import forms
from django.contrib.auth import get_user_model

from observers.choices import ActStage
from observers.models import Observer
from schools.choices import Role
from schools.models import Organization
from vprplan.widgets import DateInput, name_empty_choices
from vprplan.wording import user_short_name

DATE = DateInput()


class ObserverForm(forms.ModelForm):
    class Meta:
        model = Observer
        fields = ["full_name", "kind", "organization_name", "workplace_school", "children_schools", "phone",
                  "email", "accreditation_number", "accreditation_date", "accreditation_issued_by", "trained_on",
                  "consent_given", "consent_date", "user", "is_active", "note"]  # fmt: skip
        widgets = {
            "accreditation_date": DATE,
            "trained_on": DATE,
            "consent_date": DATE,
            "children_schools": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, municipality: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        schools = Organization.objects.schools().filter(municipality=municipality).order_by("name")
        chosen = self.instance.children_schools.all() if self.instance.pk else Organization.objects.none()
        self.fields["workplace_school"].queryset = schools
        self.fields["children_schools"].queryset = (schools | chosen).distinct().order_by("name")
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__organization=municipality, memberships__role=Role.OBSERVER)
            .distinct()
            .order_by("last_name", "username")
        )
        self.fields[
            "user"
        ].help_text = "Пользователь с ролью «Общественный наблюдатель» в этом муниципалитете."
        self.fields["user"].label_from_instance = _account_label
        self.instance.municipality = municipality
        name_empty_choices(self)


def _account_label(user) -> str:
    """«Ковалёва И.С. (observer)»: the person, and the login that tells two namesakes apart."""
    name = user_short_name(user)
    return name if name == user.username else f"{name} ({user.username})"


class _ObserverSelect(forms.Select):
    """Options of those whom a rule forbids are disabled: listed with the reason, not offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class AssignForm(forms.Form):
    observer = forms.ModelChoiceField(
        label="Наблюдатель", queryset=Observer.objects.none(), widget=_ObserverSelect
    )
    auditorium = forms.CharField(label="Аудитория", max_length=100, required=False)

    def __init__(self, *args, observers, problems: dict[int, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["observer"]
        # Only those no rule forbids can be chosen; the others stay in the list, disabled, with
        # the first reason (a forged choice of one reaches the service, which says every reason).
        field.queryset = observers
        field.widget.disabled_values = {str(pk) for pk, found in problems.items() if found}
        field.label_from_instance = lambda o: (
            f"{o.full_name} — нельзя: {_without_name(problems[o.pk][0], o.full_name)}"
            if problems.get(o.pk)
            else o.full_name
        )


def _without_name(reason: str, name: str) -> str:
    """«Белова Т.А. уже назначена…» -> «уже назначена…»: the option already names her."""
    text = reason[len(name) + 1 :] if reason.startswith(f"{name} ") else reason
    # After «нельзя:» the reason goes on in lower case, an abbreviation («СОШ») kept.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


class StatusForm(forms.Form):
    status = forms.CharField()


class ActForm(forms.Form):
    stage = forms.ChoiceField(label="Этап", choices=ActStage.choices)
    violations_found = forms.BooleanField(label="Выявлены нарушения", required=False)
    violations = forms.CharField(
        label="Какие нарушения", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    comment = forms.CharField(label="Комментарий", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    scan = forms.FileField(
        label="Скан подписанного акта",
        required=False,
        help_text="PDF, JPG или PNG, до 15 МБ.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("violations_found") and not (data.get("violations") or "").strip():
            self.add_error("violations", "Опишите выявленные нарушения.")
        return data
