from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "schools"
    verbose_name = "Организации"

    def ready(self) -> None:
        from schools import (
            membership_audit,  # noqa: F401  (connects the audit of role changes)
            user_cache,  # noqa: F401  (forgets the kept users whose memberships change)
        )
