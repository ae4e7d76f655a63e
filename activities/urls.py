from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
]
