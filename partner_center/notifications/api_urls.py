from django.urls import path

from partner_center.api import Router

from . import api

router = Router()
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
