"""Which opportunity and offering may be applied for, and if not, why.

The rules, in the order they are checked:
1. the partner is a member of the PCE program;
2. the opportunity counts (a verified PO or an accepted HO);
3. it carries the core label (set by BD);
4. its delivery is completed (a delivery date, not in the future);
5. the delivery did not end today: orders are settled first, so the application opens on
   the next Asia/Shanghai calendar day;
6. the offering is one of the opportunity's products;
7. no application for this opportunity and offering exists yet (also a database
   constraint);
8. a program period covers the delivery date (it gives the rate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opportunities.catalog import PRODUCT_LABELS
from opportunities.models import Opportunity

from .models import ProgramPeriod
from .periods import SHANGHAI

COUNTED_STATES = (Opportunity.State.VERIFIED, Opportunity.State.ACCEPTED)


class Reason(models.TextChoices):
    NOT_PCE = "not_pce", gettext_lazy("Not a PCE member")
    NOT_COUNTED = "not_counted", gettext_lazy("Not verified or accepted")
    NO_CORE_LABEL = "no_core_label", gettext_lazy("No core label")
    DELIVERY_NOT_COMPLETED = "delivery_not_completed", gettext_lazy("Delivery not completed")
    DELIVERY_ENDED_TODAY = "delivery_ended_today", gettext_lazy("Delivery ended today")
    NOT_AN_OFFERING = "not_an_offering", gettext_lazy("Not one of its products")
    ALREADY_APPLIED = "already_applied", gettext_lazy("Already applied")
    NO_PROGRAM = "no_program", gettext_lazy("No program period")


@dataclass(frozen=True)
class Eligibility:
    opportunity: Opportunity
    offering: str
    reason: str = ""  # empty when the application may be made
    message: str = ""
    opens_on: date | None = None  # for "delivery ended today": the first day to apply
    program: ProgramPeriod | None = None

    @property
    def ok(self) -> bool:
        return not self.reason

    @property
    def offering_label(self) -> str:
        return str(PRODUCT_LABELS.get(self.offering, self.offering))


def today_in_shanghai(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()


def program_covering(day: date, programs: list[ProgramPeriod]) -> ProgramPeriod | None:
    for program in programs:
        if program.starts_on <= day <= program.ends_on:
            return program
    return None


def check(
    opportunity: Opportunity,
    offering: str,
    *,
    today: date,
    is_pce: bool,
    applied: set[tuple[int, str]],
    programs: list[ProgramPeriod],
) -> Eligibility:
    """Whether `offering` of `opportunity` may be applied for today, with the reason if not.
    Pure: the caller loads what it needs once for many rows."""

    def refuse(reason: str, message: str, **extra) -> Eligibility:
        return Eligibility(opportunity, offering, reason, message, **extra)

    if not is_pce:
        return refuse(
            Reason.NOT_PCE,
            _("Only members of the PCE program receive the opportunity-sharing incentive."),
        )
    if opportunity.state not in COUNTED_STATES:
        return refuse(
            Reason.NOT_COUNTED,
            _("Only verified POs and accepted HOs qualify; this one is “%(state)s”.")
            % {"state": opportunity.get_state_display()},
        )
    if not opportunity.core_label:
        return refuse(
            Reason.NO_CORE_LABEL,
            _("The opportunity does not carry the core label; BD sets it."),
        )
    delivered = opportunity.delivery_completed_on
    if delivered is None or delivered > today:
        return refuse(
            Reason.DELIVERY_NOT_COMPLETED,
            _("The delivery is not completed yet. Enter the delivery date in a progress update."),
        )
    if delivered == today:
        opens = today + timedelta(days=1)
        return refuse(
            Reason.DELIVERY_ENDED_TODAY,
            _("The delivery ended today. Orders are settled first, so you can apply from %(date)s.")
            % {"date": date_format(opens, "Y-m-d")},
            opens_on=opens,
        )
    if offering not in (opportunity.products or []):
        return refuse(
            Reason.NOT_AN_OFFERING,
            _("“%(offering)s” is not one of the opportunity's products.")
            % {"offering": PRODUCT_LABELS.get(offering, offering)},
        )
    if (opportunity.pk, offering) in applied:
        return refuse(
            Reason.ALREADY_APPLIED,
            _("An incentive for this opportunity and “%(offering)s” was applied for already.")
            % {"offering": PRODUCT_LABELS.get(offering, offering)},
        )
    program = program_covering(delivered, programs)
    if program is None:
        return refuse(
            Reason.NO_PROGRAM,
            _("No program period covers the delivery date %(date)s, so there is no rate yet.")
            % {"date": date_format(delivered, "Y-m-d")},
        )
    return Eligibility(opportunity, offering, program=program)
