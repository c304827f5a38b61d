from django.urls import path

from partner_center.api import Router

from . import api

router = Router()
router.register("programs/pce-applications", api.PCEApplicationViewSet, basename="pce-application")
urlpatterns = [
    path("programs/paths/", api.PathListView.as_view(), name="api-paths"),
    path(
        "programs/paths/join/",
        api.PathChangeView.as_view(action_name="join"),
        name="api-paths-join",
    ),
    path(
        "programs/paths/exit/",
        api.PathChangeView.as_view(action_name="exit"),
        name="api-paths-exit",
    ),
    path("programs/deregistration/", api.DeregistrationView.as_view(), name="api-deregistration"),
    *router.urls,
]
