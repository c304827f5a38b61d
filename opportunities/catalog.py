"""The fixed lists an opportunity's fields choose from: products, industries, regions,
sales stages, and the reasons and rules that decide a rejection or decline."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.TextChoices):
    ECS = "ecs", _("Elastic Cloud Server")
    OBS = "obs", _("Object Storage Service")
    RDS = "rds", _("Relational Database Service")
    GAUSSDB = "gaussdb", _("GaussDB")
    CCE = "cce", _("Cloud Container Engine")
    MODELARTS = "modelarts", _("ModelArts (AI development)")
    BIGDATA = "bigdata", _("Big data (MRS, DWS)")
    CDN = "cdn", _("Content Delivery Network")
    NETWORK = "network", _("Networking (VPC, ELB, Direct Connect)")
    SECURITY = "security", _("Security services")
    IOT = "iot", _("IoT platform")
    MARKETPLACE = "marketplace", _("Marketplace SaaS")
    SERVICES = "services", _("Professional services")


class Industry(models.TextChoices):
    GOVERNMENT = "government", _("Government and public sector")
    FINANCE = "finance", _("Financial services")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    RETAIL = "retail", _("Retail and consumer goods")
    EDUCATION = "education", _("Education")
    HEALTHCARE = "healthcare", _("Healthcare")
    ENERGY = "energy", _("Energy and utilities")
    INTERNET = "internet", _("Internet")
    TRANSPORT = "transport", _("Transport and logistics")
    MEDIA = "media", _("Media and entertainment")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    NORTH = "north", _("North China")
    NORTHEAST = "northeast", _("Northeast China")
    EAST = "east", _("East China")
    CENTRAL = "central", _("Central China")
    SOUTH = "south", _("South China")
    SOUTHWEST = "southwest", _("Southwest China")
    NORTHWEST = "northwest", _("Northwest China")
    OVERSEAS = "overseas", _("Outside mainland China")


class Stage(models.TextChoices):
    """Sales stage a partner reports in its progress updates."""

    CONTACTING = "contacting", _("Contacting the customer")
    SOLUTION = "solution", _("Designing the solution")
    BIDDING = "bidding", _("Bidding")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class ConsentMethod(models.TextChoices):
    """How the customer gave its consent to share its personal information."""

    EMAIL = "email", _("By e-mail")
    SIGNED_FORM = "signed_form", _("Signed form")
    CONTRACT = "contract", _("Clause in a contract")
    RECORDED_CALL = "recorded_call", _("Recorded phone call")
    OTHER = "other", _("Other (describe it)")


class Rule(models.TextChoices):
    """Which rule decided a rejection, a decline or a reclaim."""

    SLA_EXPIRED = "sla_expired", _("Deadline expired")
    DUPLICATE = "duplicate", _("Duplicate of an earlier opportunity")
    VALIDITY = "validity", _("Failed the validity check")
    PARTNER_DECLINED = "partner_declined", _("Declined by the partner")
    LEAD_CLOSED = "lead_closed", _("The vendor closed the lead")


class RejectionReason(models.TextChoices):
    """The validity reasons BD chooses from when the account manager found a problem."""

    CUSTOMER_UNAWARE = "customer_unaware", _("The customer is unaware of the project")
    NO_REAL_DEMAND = "no_real_demand", _("There is no real demand")
    INFO_FALSE = "info_false", _("The information is false or incomplete")
    SERVED_DIRECTLY = "served_directly", _("The vendor already serves the customer directly")
    DUPLICATE = "duplicate", _("Duplicate opportunity")


PRODUCT_LABELS = dict(Product.choices)


class DealOutcome(models.TextChoices):
    """How the partner closes a protected deal (R4.1)."""

    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class LostReason(models.TextChoices):
    """Why the partner lost a deal it closes (deal protection, R4.1)."""

    PRICE = "price", _("Price")
    COMPETITOR = "competitor", _("Went to a competitor")
    NO_BUDGET = "no_budget", _("No budget")
    TIMING = "timing", _("Timing")
    REQUIREMENTS = "requirements", _("Requirements not met")
    OTHER = "other", _("Other")


class LeadCloseReason(models.TextChoices):
    """Why BD retires a lead from the pool (R4.2)."""

    NOT_INTERESTED = "not_interested", _("The customer is not interested")
    VENDOR_DIRECT = "vendor_direct", _("Handled directly by the vendor")
    DUPLICATE = "duplicate", _("Duplicate")
    OTHER = "other", _("Other")
