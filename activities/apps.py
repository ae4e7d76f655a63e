from django.apps import AppConfig

from schools.signals import calendar_changed


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = "Планы мероприятий"

    def ready(self) -> None:
        # The receivers import models, which can be loaded only once the app registry is ready.
        from activities.receivers import resync_on_calendar_change

        calendar_changed.connect(resync_on_calendar_change, dispatch_uid="activities.calendar_changed")
