"""The bench's URLconf: the app's URLs plus the bare ceiling views (never mounted in production)."""

from django.urls import path

from bench import ceilings
from portal.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("__bench__/plans/<int:pk>/", ceilings.plan_page, name="bench_plan_ceiling"),
    path("__bench__/home/<int:user_id>/", ceilings.home_page, name="bench_home_ceiling"),
    path("__bench__/floor/", ceilings.floor, name="bench_floor"),
    path("__bench__/activities/<int:pk>/save/", ceilings.activity_save, name="bench_activity_save"),
    *app_urlpatterns,
]
