from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
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
