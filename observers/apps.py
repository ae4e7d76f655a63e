from django.apps import AppConfig

from schools.signals import session_changed


class ObserversConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "observers"
    verbose_name = "Общественное наблюдение"

    def ready(self):
        from observers.services import session_assignments_hold  # imports models: only once apps are ready

        session_changed.connect(session_assignments_hold, dispatch_uid="observers.session_assignments_hold")
