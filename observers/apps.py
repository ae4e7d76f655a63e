from django.apps import AppConfig

from vprplan.documents import kinds


class ObserversConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "observers"
    verbose_name = "Общественное наблюдение"

    def ready(self) -> None:
        # Imported here, once the models are loaded (Django's rule for code that touches them).
        from observers.exports import SCHEDULE_EXPORT, SCHEDULE_PDF

        kinds.register(SCHEDULE_PDF, SCHEDULE_EXPORT)
