from django.urls import path

from partner_center.api import Router

from . import api

router = Router()
router.register("customers/associations", api.AssociationViewSet, basename="customer-association")
router.register("customers/invitations", api.InvitationViewSet, basename="customer-invitation")
router.register("customers/resources", api.ResourceViewSet, basename="customer-resource")
router.register("customers/orders", api.OrderViewSet, basename="customer-order")
router.register("customers/consumption", api.ConsumptionViewSet, basename="customer-consumption")
router.register("customers/resellers", api.ResellerViewSet, basename="customer-reseller")
router.register("customers/vouchers", api.VoucherViewSet, basename="customer-voucher")
router.register(
    "customers/money-requests", api.MoneyRequestViewSet, basename="customer-money-request"
)
router.register("customers/me/resources", api.MyResourceViewSet, basename="customer-my-resource")
router.register("customers/me/vouchers", api.MyVoucherViewSet, basename="customer-my-voucher")

urlpatterns = [
    path("customers/me/", api.MeView.as_view(), name="customer-me"),
    path("customers/me/sign/", api.SignView.as_view(), name="customer-sign"),
    path("customers/agreement/", api.LatestAgreementView.as_view(), name="customer-agreement"),
    path("customers/import/", api.ImportView.as_view(), name="customer-import"),
    path("customers/invite/<str:token>/", api.InviteStatusView.as_view(), name="customer-invite"),
    path(
        "customers/invite/<str:token>/accept/",
        api.InviteAcceptView.as_view(),
        name="customer-invite-accept",
    ),
    *router.urls,
]
