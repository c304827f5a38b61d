from django.urls import path

from partner_center.api import Router

from . import api

router = Router()
router.register("partners", api.PartnerViewSet, basename="partner")
urlpatterns = [path("me/", api.MeView.as_view(), name="api-me"), *router.urls]
