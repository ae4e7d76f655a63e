from django.apps import AppConfig


class VprplanConfig(AppConfig):
    name = "vprplan"
    verbose_name = "Система"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vprplan import jobs  # noqa: F401  (connects the Celery signals that track jobs)
