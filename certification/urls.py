from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("enterprise/", views.enterprise_list, name="enterprise-list"),
    path("enterprise/new/", views.enterprise_new, name="enterprise-new"),
    path("enterprise/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprise/<int:pk>/setup/", views.enterprise_setup, name="enterprise-setup"),
    path("bank-cards/", views.bank_card_list, name="bank-card-list"),
    path("bank-cards/new/", views.bank_card_new, name="bank-card-new"),
    path("bank-cards/<int:pk>/", views.bank_card_detail, name="bank-card-detail"),
    path("labels/", views.label_catalogue, name="label-catalogue"),
    path("labels/<int:label_pk>/apply/", views.label_apply, name="label-apply"),
    path("labels/applications/", views.label_application_list, name="label-application-list"),
    path(
        "labels/applications/<int:pk>/",
        views.label_application_detail,
        name="label-application-detail",
    ),
    path("defenses/", views.defense_list, name="defense-list"),
    path("files/<int:pk>/", views.file_download, name="file-download"),
    # Reviewers' queues: the same lists, opened on what waits for a decision.
    path("review/enterprise/", views.enterprise_queue, name="enterprise-queue"),
    path("review/bank-cards/", views.bank_card_queue, name="bank-card-queue"),
    path("review/labels/", views.label_application_queue, name="label-application-queue"),
]
