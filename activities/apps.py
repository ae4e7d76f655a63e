from django.apps import AppConfig

from vprplan.documents import kinds


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = "Планы мероприятий"

    def ready(self) -> None:
        # Imported here, once the models are loaded (Django's rule for code that touches them).
        from activities.progress.export import PROGRESS_EXPORT, PROGRESS_PDF

        kinds.register(PROGRESS_PDF, PROGRESS_EXPORT)
