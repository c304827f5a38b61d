from django.urls import path

from . import views

app_name = "incentives"
urlpatterns = [
    path("", views.home, name="home"),
    path("performance/", views.performance, name="performance"),
    path("performance/details/", views.performance_details, name="performance_details"),
    path("performance/export.<str:fmt>", views.performance_export, name="performance_export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("dashboard/<int:pk>/", views.dashboard_reseller, name="dashboard_reseller"),
    path(
        "dashboard/<int:pk>/export.<str:fmt>",
        views.dashboard_reseller_export,
        name="dashboard_reseller_export",
    ),
    path("estimates/", views.estimates, name="estimates"),
    path("estimates/<str:period>/", views.estimate_detail, name="estimate_detail"),
    path("program/", views.program, name="program"),
    path("applications/", views.applications, name="applications"),
    path(
        "applications/apply/<int:opportunity_pk>/<str:offering>/",
        views.application_apply,
        name="application_apply",
    ),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/<str:step>/", views.application_step, name="application_step"),
    path("review/", views.review, name="review"),
]
