from django.apps import AppConfig

from activities.reminders.registry import register_source


class ObserversConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "observers"
    verbose_name = "Общественное наблюдение"

    def ready(self) -> None:
        # observers.reminders imports models, which can be loaded only once the app registry is ready.
        from observers.reminders import SOURCE

        register_source(SOURCE)
