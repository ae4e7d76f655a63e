from django.apps import AppConfig

from schools.signals import calendar_changed
from vprplan.documents import kinds


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = "Планы мероприятий"

    def ready(self) -> None:
        # The receivers and the export kinds import models, which can be loaded only once the app
        # registry is ready.
        from activities.progress.export import PROGRESS_EXPORT, PROGRESS_PDF
        from activities.receivers import resync_on_calendar_change

        calendar_changed.connect(resync_on_calendar_change, dispatch_uid="activities.calendar_changed")
        kinds.register(PROGRESS_PDF, PROGRESS_EXPORT)
