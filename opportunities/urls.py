from django.urls import path

from . import views, views_dashboards, views_pipeline
from .collab import views as collab_views

app_name = "opportunities"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("inbox/", views.ho_inbox, name="ho_inbox"),
    path("po/new/", views.po_create, name="po_create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.po_edit, name="po_edit"),
    path("<int:pk>/submit/", views.po_submit, name="po_submit"),
    path("<int:pk>/resubmit/", views.po_resubmit, name="po_resubmit"),
    path("<int:pk>/consent-file/", views.consent_file, name="consent_file"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/accept/", views.ho_accept, name="ho_accept"),
    path("<int:pk>/decline/", views.ho_decline, name="ho_decline"),
    # BD
    path("review/", views.review_queue, name="review_queue"),
    path("review/bulk/", views.review_bulk, name="review_bulk"),
    path("export.<str:fmt>", views.opportunities_export, name="opportunities_export"),
    path("review/export.<str:fmt>", views.review_queue_export, name="review_queue_export"),
    path("pool/export.<str:fmt>", views.pool_export, name="ho_pool_export"),
    path("<int:pk>/start-verification/", views.po_start_verification, name="po_start_verification"),
    path("<int:pk>/verify/", views.po_verify, name="po_verify"),
    path("<int:pk>/reject/", views.po_reject, name="po_reject"),
    path("<int:pk>/return/", views.po_return, name="po_return"),
    path("<int:pk>/core-label/", views.core_label, name="core_label"),
    path("<int:pk>/close/", views.opportunity_close, name="close"),
    path("<int:pk>/protection/request/", views.protection_request, name="protection_request"),
    path("<int:pk>/protection/decide/", views.protection_decide, name="protection_decide"),
    path("pool/", views.pool, name="pool"),
    path("pool/new/", views.lead_create, name="lead_create"),
    path("pool/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("pool/<int:pk>/share/", views.lead_share, name="lead_share"),
    path("pool/<int:pk>/close/", views.lead_close, name="lead_close"),
    path("pool/<int:pk>/reopen/", views.lead_reopen, name="lead_reopen"),
    path("duplicates/", views.duplicate_queue, name="duplicates"),
    path("duplicates/<int:pk>/decide/", views.duplicate_decide, name="duplicate_decide"),
    # Working on a deal together (collab)
    path("<int:pk>/comments/", collab_views.comment_post, name="comment_post"),
    path("<int:pk>/next-steps/", collab_views.next_step_add, name="next_step_add"),
    path("next-steps/<int:pk>/done/", collab_views.next_step_done, name="next_step_done"),
    path("next-steps/<int:pk>/reopen/", collab_views.next_step_reopen, name="next_step_reopen"),
    path("<int:pk>/files/", collab_views.attachment_upload, name="attachment_upload"),
    path("files/<int:pk>/", collab_views.attachment_download, name="attachment_download"),
    path("files/<int:pk>/delete/", collab_views.attachment_delete, name="attachment_delete"),
    # Pipeline tools (issue [5]): owners, saved views
    path("<int:pk>/owner/", views_pipeline.opportunity_owner, name="owner"),
    path("<int:pk>/bd-owner/", views_pipeline.opportunity_bd_owner, name="bd_owner"),
    path("pool/<int:pk>/bd-owner/", views_pipeline.lead_bd_owner, name="lead_bd_owner"),
    path("views/save/", views_pipeline.saved_view_save, name="saved_view_save"),
    path("views/<int:pk>/delete/", views_pipeline.saved_view_delete, name="saved_view_delete"),
    # Bulk import
    path("import/", views.import_start, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/failed/", views.import_failed_rows, name="import_failed"),
    # Pipeline dashboards, PO/HO assessment, HO profile (issue [5])
    path("dashboard/", views_dashboards.partner_dashboard, name="dashboard"),
    path("dashboard/bd/", views_dashboards.bd_dashboard, name="bd_dashboard"),
    path("assessment/", views_dashboards.assessment_mine, name="assessment"),
    path("assessment/partners/", views_dashboards.assessment_overview, name="assessment_overview"),
    path(
        "assessment/partners/export.<str:fmt>",
        views_dashboards.assessment_export,
        name="assessment_export",
    ),
    path(
        "assessment/partners/<int:pk>/",
        views_dashboards.assessment_partner,
        name="assessment_partner",
    ),
    path("ho-profile/", views_dashboards.ho_profile, name="ho_profile"),
]
