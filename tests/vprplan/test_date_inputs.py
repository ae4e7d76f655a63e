"""Every date input of the project is a browser date picker fed with an ISO value: `<input
type="date">` rejects «01.09.2024» (the Russian format Django would render) and shows an empty field."""

import importlib
import pkgutil
import re
from datetime import date

import pytest
from django import forms
from django.urls import reverse

from activities.choices import PlanStatus
from tests.factories import PlanFactory
from vprplan.widgets import DateInput

PACKAGES = ("activities", "observers", "reports", "results", "schools", "vprplan")


def project_forms() -> list[type[forms.BaseForm]]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if ".migrations" in info.name or ".management" in info.name or ".bench" in info.name:
                continue
            importlib.import_module(info.name)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PACKAGES:
            found.append(cls)
    return found


def test_every_date_field_of_every_form_renders_an_iso_date_picker():
    with_dates = {}
    for form in project_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField):
                with_dates[f"{form.__module__}.{form.__name__}.{name}"] = field.widget
    assert len(with_dates) >= 10, sorted(with_dates)  # plans, copy, import, order, sessions, observers…
    for where, widget in with_dates.items():
        assert isinstance(widget, DateInput), where
        html = widget.render("d", date(2024, 9, 1))
        assert 'type="date"' in html and 'value="2024-09-01"' in html, (where, html)


@pytest.mark.django_db
def test_copy_to_a_new_period_suggests_iso_dates_and_a_rejected_form_keeps_what_was_typed(client, world):
    plan = PlanFactory(
        owner=world.m1, status=PlanStatus.APPROVED, period_start=date(2023, 9, 1), period_end=date(2024, 8, 31)
    )
    client.force_login(world.coordinator)
    url = reverse("activities:plan_copy", args=[plan.pk])
    html = client.get(url).content.decode()
    assert re.search(r'<input type="date" name="period_start" value="2024-09-01"', html), html
    assert re.search(r'<input type="date" name="period_end" value="2025-08-31"', html)
    rejected = client.post(url, {"period_start": "2025-09-01", "period_end": "2025-05-31"})
    assert rejected.status_code == 200
    html = rejected.content.decode()
    assert "Конец периода раньше его начала." in html
    assert 'value="2025-09-01"' in html and 'value="2025-05-31"' in html
