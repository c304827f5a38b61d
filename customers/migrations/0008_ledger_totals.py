"""Running totals of the ledger (`LedgerTotal`), backfilled from the entries written so far;
the index for sums gives way to one for an account's entries of some types, latest first."""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


BACKFILL = """
INSERT INTO customers_ledgertotal (account_id, entry_type, amount, entries)
SELECT account_id, entry_type, SUM(amount), COUNT(*)
FROM customers_ledgerentry
GROUP BY account_id, entry_type
"""


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # An entry appended while the sums are taken would be left out of its total.
        schema_editor.execute("LOCK TABLE customers_ledgerentry IN SHARE MODE")
    schema_editor.execute(BACKFILL)


def forget(apps, schema_editor):
    apps.get_model("customers", "LedgerTotal").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0007_new_customer_label'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entry_type', models.CharField(choices=[('fund', 'Customer account funded'), ('reclaim', 'Customer account reclaimed'), ('unbind_reclaim', 'Reclaimed at unbinding'), ('purchase', 'Purchase'), ('renewal', 'Renewal'), ('upgrade', 'Upgrade'), ('refund', 'Refund'), ('distributor_fund', 'Funded by the distributor'), ('distributor_reclaim', 'Reclaimed by the distributor'), ('quota_grant', 'Voucher quota granted'), ('quota_reduce', 'Voucher quota reduced'), ('voucher_issue', 'Voucher issued'), ('voucher_spend', 'Voucher spent'), ('voucher_revoke', 'Voucher revoked')], max_length=24, verbose_name='type')),
                ('amount', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='sum')),
                ('entries', models.PositiveBigIntegerField(default=0, verbose_name='entries')),
            ],
            options={
                'verbose_name': 'ledger total',
                'verbose_name_plural': 'ledger totals',
                'ordering': ['account_id', 'entry_type'],
            },
        ),
        migrations.RemoveIndex(
            model_name='ledgerentry',
            name='ledger_account_type_sums',
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['account', 'entry_type', '-created_at', '-id'], name='ledger_account_type_page'),
        ),
        migrations.AddField(
            model_name='ledgertotal',
            name='account',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='totals', to='customers.account', verbose_name='account'),
        ),
        migrations.AddConstraint(
            model_name='ledgertotal',
            constraint=models.UniqueConstraint(fields=('account', 'entry_type'), name='one_ledger_total_per_account_and_type'),
        ),
        migrations.RunPython(backfill, forget),
    ]
