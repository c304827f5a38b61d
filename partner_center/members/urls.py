from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("invite/", views.member_invite, name="invite"),
    path("<int:pk>/unlink/", views.member_unlink, name="unlink"),
    path("<int:pk>/withdraw/", views.member_withdraw, name="withdraw"),
    path("<int:pk>/money/", views.member_money, name="money"),
    path("join/<str:token>/", views.invitation, name="invitation"),
    path("profile/", views.profile, name="profile"),
    path(
        "profile/contact/<str:channel>/",
        views.contact_change_start,
        name="contact_change_start",
    ),
    path("profile/changes/<int:pk>/", views.contact_change, name="contact_change"),
    path(
        "profile/changes/<int:pk>/cancel/",
        views.contact_change_cancel,
        name="contact_change_cancel",
    ),
    path(
        "profile/legal-representative/",
        views.legal_representative,
        name="legal_representative",
    ),
]
