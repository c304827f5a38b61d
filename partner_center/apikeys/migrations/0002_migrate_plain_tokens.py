"""The old plain DRF tokens (table `authtoken_token`, one per user, never expiring) become
hashed API keys with every scope, valid for 90 more days; then the old table is dropped.

The old key text keeps working (`Authorization: Token <40 hex>` or `Bearer <40 hex>`): its
first 12 characters are the prefix, the SHA-256 digest of the other 28 is stored. Plain SQL
that SQLite (the demo) and PostgreSQL both run; nothing to do on a database without tokens."""

import hashlib
from datetime import timedelta

from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"
GRACE = timedelta(days=90)
ALL_SCOPES = ["read", "opportunities", "customers", "billing", "account"]
PARTNER_ROLES = ("partner_admin", "partner_member")


def migrate_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiKey = apps.get_model("apikeys", "ApiKey")
    User = apps.get_model("accounts", "User")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {OLD_TABLE}")
        rows = cursor.fetchall()
    now = timezone.now()
    users = {u.pk: u for u in User.objects.filter(pk__in=[user_id for _, user_id in rows])}
    for text, user_id in rows:
        user = users.get(user_id)
        if user is None:
            continue
        ApiKey.objects.create(
            user=user,
            partner_id=user.partner_id if user.role in PARTNER_ROLES else None,
            label="Migrated token",
            prefix=text[:12],
            secret_digest=hashlib.sha256(text[12:].encode()).hexdigest(),
            scopes=ALL_SCOPES,
            created_at=now,
            expires_at=now + GRACE,
            migrated=True,
        )
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("apikeys", "0001_api_keys"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(migrate_tokens, migrations.RunPython.noop)]
