from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from partner_center.accounts.language import set_language
from partner_center.health import healthz

DOMAIN_APPS = ["opportunities", "customers", "billing", "incentives", "certification"]
CORE_APPS = ["members", "programs", "notifications", "helpcenter", "webhooks", "apikeys"]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("partner_center.accounts.urls")),
    # Django's language switch; a signed-in user's choice is also saved on their account.
    path("i18n/setlang/", set_language, name="set_language"),
    path("security/", include("partner_center.security.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Signed-in users only (SERVE_PERMISSIONS); the docs' start-up script is a file, not
    # inline, for the Content-Security-Policy. Swagger UI sets inline styles: allowed on
    # this page only.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
        ),
        name="api-docs",
    ),
    path("api/v1/", include("partner_center.accounts.api_urls")),
]
for app in CORE_APPS:
    urlpatterns += [
        path(f"{app}/", include(f"partner_center.{app}.urls")),
        path("api/v1/", include(f"partner_center.{app}.api_urls")),
    ]
for app in DOMAIN_APPS:
    urlpatterns += [
        path(f"{app}/", include(f"{app}.urls")),
        path("api/v1/", include(f"{app}.api_urls")),
    ]

admin.site.site_header = gettext_lazy("Partner Center")
admin.site.site_title = gettext_lazy("Partner Center admin")
admin.site.index_title = gettext_lazy("Administration")

handler400 = "partner_center.uploads.bad_request"
