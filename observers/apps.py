from django.apps import AppConfig


class ObserversConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "observers"
    verbose_name = "Общественное наблюдение"
