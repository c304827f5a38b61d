from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("2fa/setup/", views.mfa_setup, name="mfa_setup"),
    path("2fa/verify/", views.mfa_verify, name="mfa_verify"),
    path("2fa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("2fa/disable/", views.mfa_off, name="mfa_disable"),
    path("trusted-devices/forget/", views.forget_trusted, name="forget_trusted"),
    path("sessions/sign-out-others/", views.sign_out_others, name="sign_out_others"),
    path("sessions/sign-out-everywhere/", views.sign_out_all, name="sign_out_everywhere"),
    path("partner/", views.partner_policy, name="partner_policy"),
]
