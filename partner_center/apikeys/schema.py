"""The OpenAPI security scheme of API keys (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "partner_center.apikeys.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "pck_<prefix>_<secret>",
            "description": (
                "An API key created on the API keys page or with `POST /api/v1/api-keys/`: "
                "`Authorization: Bearer pck_<prefix>_<secret>`. The key acts as the user who "
                "created it, limited by its scopes: every key reads; writes need the scope of "
                "the operation's tag (opportunities → `opportunities`; customers, incentives → "
                "`customers`; billing → `billing`; every other tag → `account`), else 403 "
                "`scope_missing`. Keys migrated from the old tokens are also accepted as "
                "`Authorization: Token <40 hex>` until they expire."
            ),
        }
