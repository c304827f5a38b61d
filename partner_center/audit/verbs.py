"""Event verbs that are not lifecycle transitions (those come from the `transitions.py`
tables, see `partner_center.workflow`). Callers of `record_event` pass one of these, never a
free string; `workflow.verb_label` shows their label on timelines."""

from django.db import models


class Verb(models.TextChoices):
    pass
