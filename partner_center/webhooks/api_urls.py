from django.urls import path

from partner_center.api import Router

from . import api

router = Router()
router.register("webhooks/endpoints", api.EndpointViewSet, basename="webhook-endpoint")
router.register("webhooks/deliveries", api.DeliveryViewSet, basename="webhook-delivery")
urlpatterns = [
    path("events/", api.EventFeedView.as_view(), name="api-events"),
    *router.urls,
]
