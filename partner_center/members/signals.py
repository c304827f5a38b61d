"""Signals other apps listen to without members importing them."""

from django.dispatch import Signal

# Sent inside the transaction when a person stops being a user of a partner (unlinked,
# moved to another partner, deactivated): kwargs `user`, `partner_id`, `actor`. The
# opportunities app hands the person's open deals to the partner admin.
member_left = Signal()
