"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. `<input type="date">` accepts only ISO values (2024-09-01): a date in
    the Russian format (01.09.2024) is rejected by the browser and the field shows empty. A bound
    form (one that came back with errors) renders what the user sent, as every widget does."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")


CHOOSE = "— выберите —"
NOT_SET = "— не указано —"
_DJANGO_EMPTY = "---------"


def name_empty_choices(form: forms.BaseForm) -> None:
    """A select's empty choice in words instead of Django's «---------»: «— выберите —» where a
    choice is required, «— не указано —» where the field may stay empty. A label the form gave
    itself («пустой план») stays. Call it at the end of the form's __init__."""
    for field in form.fields.values():
        label = CHOOSE if field.required else NOT_SET
        if isinstance(field, forms.ModelChoiceField):  # before ChoiceField: it is one
            if field.empty_label == _DJANGO_EMPTY:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", _DJANGO_EMPTY):
                field.choices = [("", label), *choices[1:]]
