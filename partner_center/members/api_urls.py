from django.urls import path

from partner_center.api import Router

from . import api

router = Router()
router.register("members/invitations", api.InvitationViewSet, basename="member-invitation")
router.register("members", api.MembershipViewSet, basename="member")
router.register("profile/contact-changes", api.ContactChangeViewSet, basename="contact-change")
urlpatterns = [
    path("profile/", api.ProfileView.as_view(), name="api-profile"),
    path(
        "profile/legal-representative/",
        api.LegalRepresentativeView.as_view(),
        name="api-profile-legal-representative",
    ),
    *router.urls,
]
