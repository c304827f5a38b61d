from partner_center.api import Router

from . import api

router = Router()
router.register(
    "certification/enterprise",
    api.EnterpriseCertificationViewSet,
    basename="certification-enterprise",
)
router.register("certification/bank-cards", api.BankCardViewSet, basename="certification-bank-card")
router.register("certification/labels", api.LabelViewSet, basename="certification-label")
router.register(
    "certification/label-applications",
    api.LabelApplicationViewSet,
    basename="certification-label-application",
)
router.register("certification/defenses", api.DefenseViewSet, basename="certification-defense")
router.register("certification/files", api.FileViewSet, basename="certification-file")
urlpatterns = router.urls
