from partner_center.api import Router

from . import api, api_pipeline

router = Router()
router.register("opportunities/po", api.POViewSet, basename="opportunity-po")
router.register("opportunities/ho", api.HOViewSet, basename="opportunity-ho")
router.register("opportunities/leads", api.LeadViewSet, basename="opportunity-lead")
router.register(
    "opportunities/duplicates", api.DuplicatePairViewSet, basename="opportunity-duplicate"
)
router.register("opportunities/imports", api.POImportViewSet, basename="opportunity-import")
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
urlpatterns = router.urls
