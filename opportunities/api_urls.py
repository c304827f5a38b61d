from partner_center.api import Router

from . import api, api_pipeline, api_pipeline_tools
from .collab import api as collab_api

router = Router()
router.register("opportunities/po", api.POViewSet, basename="opportunity-po")
router.register("opportunities/ho", api.HOViewSet, basename="opportunity-ho")
router.register("opportunities/leads", api.LeadViewSet, basename="opportunity-lead")
router.register(
    "opportunities/duplicates", api.DuplicatePairViewSet, basename="opportunity-duplicate"
)
router.register("opportunities/imports", api.POImportViewSet, basename="opportunity-import")
# Working on a deal together (collab)
DEAL = r"opportunities/(?P<opportunity_pk>\d+)"
router.register(f"{DEAL}/comments", collab_api.DealCommentViewSet, basename="opportunity-comment")
router.register(
    f"{DEAL}/next-steps", collab_api.DealNextStepViewSet, basename="opportunity-deal-next-step"
)
router.register(f"{DEAL}/files", collab_api.DealFileViewSet, basename="opportunity-deal-file")
router.register(
    "opportunities/next-steps", collab_api.NextStepViewSet, basename="opportunity-next-step"
)
router.register("opportunities/files", collab_api.FileViewSet, basename="opportunity-file")
# Pipeline tools (issue [5])
router.register(
    "opportunities/assessment", api_pipeline.AssessmentViewSet, basename="opportunity-assessment"
)
router.register(
    "opportunities/dashboard",
    api_pipeline.PipelineDashboardViewSet,
    basename="opportunity-dashboard",
)
router.register(
    "opportunities/routing", api_pipeline.RoutingViewSet, basename="opportunity-routing"
)
router.register(
    "opportunities/saved-views",
    api_pipeline_tools.SavedViewViewSet,
    basename="opportunity-saved-view",
)
urlpatterns = router.urls
