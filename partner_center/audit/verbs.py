"""Event verbs that are not lifecycle transitions. Lifecycle verbs come from the tables
(`<app>/transitions.py`, see `partner_center.workflow`); every other `record_event` caller
passes one of these, never a free string. `workflow.verb_label` shows their labels on
timelines, so no page keeps a label list of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Verb(models.TextChoices):
    # The partner account (accounts, programs, members)
    PARTNER_CREATED = "partner.created", _("Partner account created")
    PARTNER_TYPE_JOINED = "partner.type_joined", _("Type or path joined")
    PARTNER_TYPE_EXITED = "partner.type_exited", _("Type or path exited")
    PARTNER_EMAIL_CHANGE_REQUESTED = (
        "partner.email_change_requested",
        _("Code sent to a new contact e-mail"),
    )
    PARTNER_PHONE_CHANGE_REQUESTED = (
        "partner.phone_change_requested",
        _("Code sent to a new contact phone"),
    )
    PARTNER_EMAIL_CHANGED = "partner.email_changed", _("Contact e-mail changed")
    PARTNER_PHONE_CHANGED = "partner.phone_changed", _("Contact phone changed")
    PARTNER_LEGAL_REPRESENTATIVE_CHANGED = (
        "partner.legal_representative_changed",
        _("Legal representative changed"),
    )
    PARTNER_DEREGISTERED = "partner.deregistered", _("Partner account deregistered")
    PARTNER_UPDATED = "partner.updated", _("Partner data changed")
    # Sign-in security (partner_center.security)
    USER_MFA_ENABLED = "user.mfa_enabled", _("Two-factor authentication turned on")
    USER_MFA_DISABLED = "user.mfa_disabled", _("Two-factor authentication turned off")
    PARTNER_MFA_REQUIRED = "partner.mfa_required", _("Two-factor authentication required")
    PARTNER_MFA_OPTIONAL = "partner.mfa_optional", _("Two-factor authentication optional")
    USER_SIGNED_OUT_EVERYWHERE = "user.signed_out_everywhere", _("Signed out everywhere")
    API_KEY_CREATED = "api_key.created", _("API key created")
    API_KEY_REVOKED = "api_key.revoked", _("API key revoked")
    PARTNER_PDM_ASSIGNED = "partner.pdm_assigned", _("Partner manager (PDM) assigned")
    MEMBER_MONEY_GRANTED = "member.money_granted", _("Allowed to move money")
    MEMBER_MONEY_REVOKED = "member.money_revoked", _("No longer allowed to move money")
    # Opportunities
    OPPORTUNITY_PROGRESS = "opportunity.progress", _("Progress update")
    OPPORTUNITY_CORE_LABEL = "opportunity.core_label", _("Core label changed")
    OPPORTUNITY_REMINDER_SENT = "opportunity.reminder_sent", _("Deadline reminder sent")
    OPPORTUNITY_DEADLINE_MOVED = (
        "opportunity.deadline_moved",
        _("Deadline moved: the calendar changed"),
    )
    PROTECTION_REMINDER_SENT = "opportunity.protection_reminder", _("Protection reminder sent")
    DUPLICATE_APPLY = "duplicate.apply", _("Duplicate settled by the rule")
    DUPLICATE_DISMISS = "duplicate.dismiss", _("Marked as not duplicates")
    PO_IMPORT_QUEUED = "po_import.queued", _("Import queued")
    # Working on a deal together (opportunities/collab)
    NEXT_STEP_ADDED = "opportunity.next_step_added", _("Next step added")
    NEXT_STEP_DONE = "opportunity.next_step_done", _("Next step done")
    NEXT_STEP_REOPENED = "opportunity.next_step_reopened", _("Next step reopened")
    DEAL_ATTACHMENT_ADDED = "opportunity.attachment_added", _("File attached")
    DEAL_ATTACHMENT_DELETED = "opportunity.attachment_deleted", _("Attached file deleted")
    # Opportunity owners (issue [5])
    OPPORTUNITY_OWNER_CHANGED = "opportunity.owner_changed", _("Owner changed")
    OPPORTUNITY_BD_OWNER_CHANGED = "opportunity.bd_owner_changed", _("BD owner changed")
    OPPORTUNITY_OWNER_HANDED_OVER = (
        "opportunity.owner_handed_over",
        _("Owner left the partner: handed over to the partner admin"),
    )
    LEAD_BD_OWNER_CHANGED = "lead.bd_owner_changed", _("BD owner of the lead changed")
    # Pipeline settings (issue [5])
    HO_PROFILE_CHANGED = "ho_profile.changed", _("HO profile changed")
    STAGE_PROBABILITY_CHANGED = "stage_probability.changed", _("Stage probability changed")
    # Certification
    ATTACHMENT_DOWNLOADED = "attachment.downloaded", _("Attachment downloaded")
    # Customers
    AGREEMENT_PUBLISHED = "agreement.published", _("Agreement version published")
    AGREEMENT_SIGNED = "agreement.signed", _("Agreement signed")
    INVITATION_CREATED = "invitation.created", pgettext_lazy("customer", "Invitation created")
    INVITATION_REVOKED = "invitation.revoked", pgettext_lazy("customer", "Invitation revoked")
    INVITATION_ACCEPTED = "invitation.accepted", pgettext_lazy("customer", "Invitation accepted")
    CUSTOMER_REGISTERED = "customer.registered", _("Customer registered")
    ASSOCIATION_CREATED = "association.created", _("Associated through the invitation link")
    ASSOCIATION_UNBOUND = "association.unbound", _("Unbound")
    ACCOUNT_BUDGET_SET = "account.budget_set", _("Monthly budget set")
    RESOURCE_RENEWED = "resource.renewed", _("Resource renewed")
    RESOURCE_AUTO_RENEW_ON = "resource.auto_renew_on", _("Automatic renewal switched on")
    RESOURCE_AUTO_RENEW_OFF = "resource.auto_renew_off", _("Automatic renewal switched off")
    RESOURCE_AUTO_RENEW_FAILED = "resource.auto_renew_failed", _("Automatic renewal failed")
    VOUCHER_ISSUED = "voucher.issued", _("Voucher issued")
    VOUCHER_REVOKED = "voucher.revoked", _("Voucher revoked")
    # Webhooks (partner_center.webhooks)
    WEBHOOK_CREATED = "webhook.created", _("Webhook endpoint registered")
    WEBHOOK_UPDATED = "webhook.updated", _("Webhook endpoint changed")
    WEBHOOK_DELETED = "webhook.deleted", _("Webhook endpoint deleted")
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated", _("Webhook signing secret replaced")
    WEBHOOK_DISABLED = "webhook.disabled", _("Webhook endpoint turned off after failures")
    WEBHOOK_REDELIVERED = "webhook.redelivered", _("Webhook delivery sent again")

    @classmethod
    def duplicate(cls, decision: str) -> "Verb":
        return cls(f"duplicate.{decision}")

    @classmethod
    def contact_change_requested(cls, channel: str) -> "Verb":
        return cls(f"partner.{channel}_change_requested")

    @classmethod
    def contact_changed(cls, channel: str) -> "Verb":
        return cls(f"partner.{channel}_changed")
