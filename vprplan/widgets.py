"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. `<input type="date">` accepts only ISO values (2024-09-01): a date in
    the Russian format (01.09.2024) is rejected by the browser and the field shows empty. A bound
    form (one that came back with errors) renders what the user sent, as every widget does."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")

