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
router.register(
    "opportunities/saved-views", api_pipeline.SavedViewViewSet, basename="opportunity-saved-view"
)
urlpatterns = router.urls
