from django.apps import AppConfig


class VprplanConfig(AppConfig):
    name = "vprplan"
    verbose_name = "Система"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from vprplan import (
            checks,  # noqa: F401  (registers the project's system checks)
            heartbeat,  # noqa: F401  (connects the workers' heartbeat to Celery's signals)
            jobs,  # noqa: F401  (connects the Celery signals that track jobs)
            security,  # noqa: F401  (audits logins and permission changes)
        )

        # Jobs are enqueued by name: every app's tasks.py must be registered in web processes too.
        autodiscover_modules("tasks")
        # One cleaning rule for every text typed into any form (vprplan.text.clean_text).
        from vprplan.text import install_form_cleaning

        install_form_cleaning()
        # The kept session users (vprplan.userstore) are forgotten when their accounts change.
        from vprplan import userstore

        userstore.connect()
