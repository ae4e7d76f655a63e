"""The VPR schedule through django-import-export: made for one campaign and the schools the
importing user keeps, so that a row of any other school is an error of that row, not a write
outside his scope. The import itself (preview, all or nothing) is schools.schedule_import.
"""

from django.core.exceptions import ValidationError

from schools.models import Organization, VprCampaign, VprSession
from schools.models.vpr import SessionForm
from schools.resources.catalogue import CachedForeignKeyWidget, ChoiceWidget, TextWidget
from schools.resources.sheets import (
    KeyInstanceLoader,
    NumberWidget,
    SheetDateWidget,
    SheetResource,
    SheetTimeWidget,
    field,
)
from schools.signals import session_changed
from vprplan.errors import DomainError


class VprSessionResource(SheetResource):
    """A school's VPR schedule, one row per work; rows are matched by school, subject, grade and
    class letters, so a re-imported file updates dates and auditoriums instead of doubling rows."""

    school = field("school", "Код ОО", None)
    subject = field("subject", "Предмет", TextWidget())
    grade = field("grade", "Класс", NumberWidget(label="Класс"))
    class_letters = field("class_letters", "Литеры", TextWidget())
    date = field("date", "Дата", SheetDateWidget(label="Дата"))
    starts_at = field("starts_at", "Начало", SheetTimeWidget(label="Начало"))
    ends_at = field("ends_at", "Окончание", SheetTimeWidget(label="Окончание"))
    form = field("form", "Форма", ChoiceWidget(SessionForm, label="Форма", default=SessionForm.PAPER))
    auditoriums = field("auditoriums", "Аудитории", TextWidget())
    participants = field("participants", "Участников", NumberWidget(label="Участников", default=0))
    note = field("note", "Примечание", TextWidget())

    class Meta:
        model = VprSession
        name = "График ВПР"
        import_id_fields = ["school", "subject", "grade", "class_letters"]
        fields = ["school", "subject", "grade", "class_letters", "date", "starts_at", "ends_at", "form",
                  "auditoriums", "participants", "note"]  # fmt: skip
        instance_loader_class = KeyInstanceLoader
        skip_unchanged = True
        report_skipped = True
        store_row_values = True

    def __init__(self, *, campaign: VprCampaign | None = None, schools=None, **kwargs):
        super().__init__(**kwargs)
        self.campaign = campaign
        self.schools = schools if schools is not None else Organization.objects.schools()
        self.fields["school"].widget = CachedForeignKeyWidget(
            Organization, "code", message="ОО с кодом «{value}» нет среди ваших ОО.", queryset=self.schools
        )

    def get_queryset(self):
        found = VprSession.objects.filter(school__in=self.schools).select_related("school", "campaign")
        return found.filter(campaign=self.campaign) if self.campaign else found

    def init_instance(self, row=None):
        return VprSession(campaign=self.campaign)

    def after_save_instance(self, instance, row, **kwargs):
        # A moved session must still suit the observers already assigned to it (they refuse it).
        try:
            session_changed.send(sender=VprSession, session=instance)
        except DomainError as error:
            raise ValidationError({"date": str(error)}) from error
