from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("public/<slug:code>/", views.PublicPlanListView.as_view(), name="public_plan_list"),
    path(
        "public/<slug:code>/plans/<int:pk>/",
        views.PublicPlanDetailView.as_view(),
        name="public_plan_detail",
    ),
]
