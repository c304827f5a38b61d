from partner_center.api import Router

from . import api

router = Router()
router.register("help/entries", api.FAQEntryViewSet, basename="help-entry")
urlpatterns = router.urls
