from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("help/entries", api.FAQEntryViewSet, basename="help-entry")
urlpatterns = router.urls
