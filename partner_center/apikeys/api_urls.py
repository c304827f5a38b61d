from partner_center.api import Router

from . import api

router = Router()
router.register("api-keys", api.ApiKeyViewSet, basename="api-key")
urlpatterns = router.urls
