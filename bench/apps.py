from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The development tools (benchmarks against anchors, the load run, scale data): an app only so
    that its management commands (`bench`, `generate_scale_data`, the memory probes) are found. It
    has no models and is mounted under no URL of the site (its own URLconf is the bench's)."""

    name = "bench"
    verbose_name = "Замеры производительности"
    default_auto_field = "django.db.models.BigAutoField"
