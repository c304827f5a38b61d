from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/unbind/", views.customer_unbind, name="unbind"),
    path("<int:pk>/fund/", views.account_fund, name="fund"),
    path("<int:pk>/reclaim/", views.account_reclaim, name="reclaim"),
    path("<int:pk>/budget/", views.account_budget, name="budget"),
    path("money-requests/", views.money_requests, name="money_requests"),
    path(
        "money-requests/<int:pk>/approve/",
        views.money_request_approve,
        name="money_request_approve",
    ),
    path(
        "money-requests/<int:pk>/refuse/", views.money_request_refuse, name="money_request_refuse"
    ),
    path(
        "money-requests/<int:pk>/cancel/", views.money_request_cancel, name="money_request_cancel"
    ),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.invite, name="invite"),
    path("invite/<str:token>/register/", views.invite_register, name="invite_register"),
    path("invite/<str:token>/verify/", views.invite_verify, name="invite_verify"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/<int:pk>/renew/", views.resource_renew, name="renew"),
    path("resources/<int:pk>/auto-renew/", views.resource_auto_renew, name="auto_renew"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("resellers/", views.reseller_list, name="resellers"),
    path("resellers/<int:pk>/", views.reseller_detail, name="reseller_detail"),
    path("funds/", views.funds, name="funds"),
    path("vouchers/", views.voucher_list, name="vouchers"),
    path("vouchers/<int:pk>/revoke/", views.voucher_revoke, name="voucher_revoke"),
    path("me/", views.me, name="me"),
    path("me/resources/", views.my_resources, name="my_resources"),
    path("me/resources/<int:pk>/renew/", views.my_resource_renew, name="my_renew"),
    path("me/vouchers/", views.my_vouchers, name="my_vouchers"),
]
