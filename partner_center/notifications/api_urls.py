from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("notifications", api.NotificationViewSet, basename="notification")
urlpatterns = [
    path(
        "notifications/preferences/",
        api.PreferenceView.as_view(),
        name="api-notification-preferences",
    ),
    path(
        "notifications/subscriptions/",
        api.SubscriptionView.as_view(),
        name="api-notification-subscriptions",
    ),
    *router.urls,
]
