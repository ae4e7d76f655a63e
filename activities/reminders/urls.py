from django.urls import path

from activities.reminders import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification_list"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="notification_read"),
    path("read/", views.NotificationReadAllView.as_view(), name="notification_read_all"),
    path("settings/", views.PreferenceView.as_view(), name="preference_edit"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
