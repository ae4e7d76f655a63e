from django.apps import AppConfig

from activities.reminders.registry import register_source
from schools.signals import session_changed
from vprplan.documents import kinds


class ObserversConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "observers"
    verbose_name = "Общественное наблюдение"

    def ready(self) -> None:
        # observers.reminders, observers.services and observers.exports import models, which can be
        # loaded only once the app registry is ready.
        from observers.exports import SCHEDULE_EXPORT, SCHEDULE_PDF
        from observers.reminders import SOURCE
        from observers.services import session_assignments_hold

        register_source(SOURCE)
        session_changed.connect(session_assignments_hold, dispatch_uid="observers.session_assignments_hold")
        kinds.register(SCHEDULE_PDF, SCHEDULE_EXPORT)
