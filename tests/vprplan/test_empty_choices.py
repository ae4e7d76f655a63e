"""A select's empty choice reads as words (vprplan.widgets.name_empty_choices), not «---------»."""

import pytest
from django import forms

from activities.choices import PlanKind
from schools.models import Organization
from vprplan.widgets import CHOOSE, NOT_SET, name_empty_choices

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    owner = forms.ModelChoiceField(queryset=Organization.objects.all())
    school = forms.ModelChoiceField(queryset=Organization.objects.all(), required=False)
    base = forms.ModelChoiceField(
        queryset=Organization.objects.all(), required=False, empty_label="пустой план"
    )
    kind = forms.ChoiceField(choices=[("", "---------"), *PlanKind.choices])  # as a model field gives it
    form = forms.TypedChoiceField(choices=[("", "---------"), ("a", "А")], required=False)
    grade = forms.ChoiceField(choices=[("4", "4"), ("5", "5")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self)


def test_required_choices_ask_to_choose_optional_ones_say_not_given_own_labels_stay():
    form = Sample()
    assert form.fields["owner"].empty_label == CHOOSE
    assert form.fields["school"].empty_label == NOT_SET
    assert form.fields["base"].empty_label == "пустой план"
    assert form.fields["kind"].choices[0] == ("", CHOOSE)
    assert form.fields["form"].choices[0] == ("", NOT_SET)
    assert form.fields["grade"].choices == [("4", "4"), ("5", "5")]  # no empty choice: none added
    html = str(form)
    assert "---------" not in html and html.count(f">{CHOOSE}</option>") == 2
