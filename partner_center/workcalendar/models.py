from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    """A day an admin entered: it overrides every packaged calendar."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Tick for a make-up working day; untick for a holiday.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    # Who changed what, and when (django-simple-history; shown in admin).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.is_working_day else 'off'}"


class CalendarYear(models.Model):
    """Marks a year whose official holiday schedule an admin has fully entered."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    official_complete = models.BooleanField(
        _("official schedule entered"),
        default=False,
        help_text=_(
            "Tick once every holiday and make-up day of the published schedule is entered."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    # Who changed what, and when (django-simple-history; shown in admin).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
