from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Event


def timeline_for(subject: models.Model):
    """The events of one object, oldest first, with their actors (one query)."""
    ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    return Event.objects.filter(subject_type=ct, subject_id=subject.pk).select_related("actor")
