"""Filtered views that grew with the table at 1,000,000 opportunities (issue [9]): a partner
user's "Mine" (newest first), BD's own POs in the review queue (by deadline: 38 ms of SQL,
its bounded count included) and a partner's lost deals by reason (50 ms)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("opportunities", "0017_list_order_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name='opportunity',
            index=models.Index(fields=['owner', '-created_at', '-id'], name='opportunity_owner_created'),
        ),
        migrations.AddIndex(
            model_name='opportunity',
            index=models.Index(condition=models.Q(('kind', 'po'), ('state__in', ['submitted', 'under_verification', 'returned'])), fields=['bd_owner', 'deadline', 'id'], name='opportunity_review_mine'),
        ),
        migrations.AddIndex(
            model_name='opportunity',
            index=models.Index(condition=models.Q(('lost_reason', ''), _negated=True), fields=['partner', 'lost_reason', '-created_at', '-id'], name='opportunity_partner_lost'),
        ),
    ]
