from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from partner_center.service_admin import KeptRecordAdmin, per_object_action

from . import services
from .models import ContactChange, Membership


@admin.register(Membership)
class MembershipAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: invitations are sent from the portal, links made by accepting them. Not
    # deleted: ended by unlink/withdraw, kept as the link history.
    list_display = (
        "user",
        "partner",
        "state",
        "invited_at",
        "expires_at",
        "linked_at",
        "unlinked_at",
    )
    list_filter = ("state",)
    search_fields = ("user__email", "user__full_name", "partner__name", "partner__credit_code")
    list_select_related = ("user", "partner")
    raw_id_fields = ("partner", "user", "invited_by", "unlinked_by")
    readonly_fields = (
        "partner",
        "user",
        "state",
        "invited_by",
        "invited_at",
        "expires_at",
        "token",
        "linked_at",
        "unlinked_at",
        "unlinked_by",
    )
    actions = ["unlink", "withdraw"]

    unlink = per_object_action(
        _("Unlink the selected members"),
        lambda user, membership: services.member_unlink(actor=user, membership=membership),
        _("%(n)s members unlinked."),
        level=messages.WARNING,
    )
    withdraw = per_object_action(
        _("Withdraw the selected invitations"),
        lambda user, membership: services.invitation_withdraw(actor=user, membership=membership),
        _("%(n)s invitations withdrawn."),
        level=messages.WARNING,
    )


@admin.register(ContactChange)
class ContactChangeAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: a change starts in the portal, where the code is sent. Not deleted: a
    # record of the change.
    list_display = ("partner", "channel", "new_value", "state", "requested_by", "requested_at")
    list_filter = ("channel", "state")
    search_fields = ("partner__name", "new_value", "old_value")
    list_select_related = ("partner", "requested_by")
    raw_id_fields = ("partner", "requested_by")
    exclude = ("code_hash",)
    readonly_fields = (
        "partner",
        "channel",
        "old_value",
        "new_value",
        "attempts",
        "state",
        "requested_by",
        "requested_at",
        "expires_at",
        "confirmed_at",
    )
