from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
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
