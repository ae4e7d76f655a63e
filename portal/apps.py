from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What puts the apps together: the root URLconf (ROOT_URLCONF), the home page and the demo
    (`manage.py seed_demo`). No models."""

    name = "portal"
    verbose_name = "Портал"
    default_auto_field = "django.db.models.BigAutoField"
