from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("results/school/<slug:code>/", views.SchoolResultsView.as_view(), name="school_results"),
    path("results/school/<slug:code>/flag/", views.FlagFromMarkersView.as_view(), name="flag_create"),
    path("results/rechecks/<int:pk>/", views.RecheckDetailView.as_view(), name="recheck_detail"),
    path(
        "results/rechecks/<int:pk>/experts/", views.RecheckExpertAddView.as_view(), name="recheck_expert_add"
    ),
    path("results/rechecks/<int:pk>/works/", views.RecheckWorkAddView.as_view(), name="recheck_work_add"),
    path(
        "results/rechecks/<int:pk>/works/<int:work_pk>/scores/",
        views.RecheckWorkScoreView.as_view(),
        name="recheck_work_score",
    ),
    path("results/rechecks/<int:pk>/finish/", views.RecheckFinishView.as_view(), name="recheck_finish"),
    # An area: a municipality's code (or a region's, for its administrator).
    path("results/<slug:code>/", views.MarkerListView.as_view(), name="marker_list"),
    path("results/<slug:code>/markers.xlsx", views.MarkerExportView.as_view(), name="marker_export"),
    path("results/<slug:code>/import/", views.ResultImportView.as_view(), name="result_import"),
    path("results/<slug:code>/rechecks/", views.RecheckListView.as_view(), name="recheck_list"),
    path("results/<slug:code>/rechecks/new/", views.RecheckCreateView.as_view(), name="recheck_create"),
]
