"""List orders found by the page benchmark at 1,000,000 opportunities (issue [9]):

- every sort of a list ends with the id (SortFilter), so rows that tie on the sort field
  (the same amount, deadline or customer) keep one order from page to page; each sort's
  index ends with the id too, or PostgreSQL sorts every tie (158 ms for a partner's list by
  amount);
- BD's to-do lists the POs to review and the POs to verify, each by deadline: one state of
  the review queue's three; opportunity_review_state starts at the state, where walking
  opportunity_review_queue read past every PO of the other states (23-43 ms);
- the partner's default view ("Action needed", by deadline, then id): its deep pages read
  only their keys, from opportunity_partner_action alone; BD's default view walked past
  every HO waiting for a partner (17,500 rows, 36 ms) before opportunity_bd_action."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0016_duplicates_by_deadline_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(("state__in", ["submitted", "under_verification"])),
                fields=["deadline", "id"],
                name="opportunity_bd_action",
            ),
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_partner_amount",
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_partner_deadline",
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_partner_customer",
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_partner_close",
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_amount",
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_deadline",
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_customer",
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_close",
        ),
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opportunity_review_amount",
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["partner", "amount", "id"], name="opportunity_partner_amount"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["partner", "deadline", "id"], name="opportunity_partner_deadline"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(("state__in", ["draft", "returned", "pending"])),
                fields=["partner", "deadline", "id"],
                name="opportunity_partner_action",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["partner", "customer_name", "id"], name="opportunity_partner_customer"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["partner", "expected_close_date", "id"], name="opportunity_partner_close"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["amount", "id"], name="opportunity_amount"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["deadline", "id"], name="opportunity_deadline"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["customer_name", "id"], name="opportunity_customer"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["expected_close_date", "id"], name="opportunity_close"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(
                    ("kind", "po"), ("state__in", ["submitted", "under_verification", "returned"])
                ),
                fields=["amount", "id"],
                name="opportunity_review_amount",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(
                    ("kind", "po"), ("state__in", ["submitted", "under_verification", "returned"])
                ),
                fields=["state", "deadline", "id"],
                name="opportunity_review_state",
            ),
        ),
    ]
