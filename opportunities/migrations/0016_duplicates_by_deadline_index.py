"""BD's to-do lists duplicate pairs by their PO's deadline (issue [9]): a live PO is waiting
for verification (walked in opportunity_review_queue) or protected (walked here), and each
walk probes one PO's open pairs at a time instead of sorting every open pair."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0015_extension_and_pipeline_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(
                    ("kind", "po"), ("protection", "live"), ("state__in", ["verified", "accepted"])
                ),
                fields=["deadline", "id"],
                name="opportunity_protected_deadline",
            ),
        ),
    ]
