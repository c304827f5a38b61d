"""The lifecycle of a membership, from the invitation to the end of the link.

    invite ─▶ invited ─▶ accept ─▶ linked ─▶ unlink ─▶ unlinked
                 │  decline / withdraw ─▶ withdrawn
                 └─ expire (the link ran out) ─▶ expired

A link made another way (Django admin, an import) starts linked (`link`)."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from partner_center.workflow import By, Lifecycle, t

from .models import Membership

S = Membership.State

MEMBERSHIP = Lifecycle(
    key="member",
    model=Membership,
    initial=("invite", "link"),
    shown_state="current_status",
    transitions=[
        t("invite", (), S.INVITED, By.PARTNER, gettext_lazy("Invited"), event="invited"),
        t(
            "link",
            (),
            S.LINKED,
            By.SYSTEM,
            pgettext_lazy("member step", "Linked to the partner"),
            event="linked",
        ),
        t(
            "accept",
            {S.INVITED},
            S.LINKED,
            By.ANYONE,
            pgettext_lazy("member step", "Linked to the partner"),
            event="linked",
        ),
        t(
            "decline",
            {S.INVITED},
            S.WITHDRAWN,
            By.ANYONE,
            gettext_lazy("Invitation declined"),
            event="declined",
        ),
        t(
            "withdraw",
            {S.INVITED},
            S.WITHDRAWN,
            By.PARTNER,
            gettext_lazy("Invitation withdrawn"),
            event="withdrawn",
        ),
        t(
            "unlink",
            {S.LINKED},
            S.UNLINKED,
            By.ANYONE,
            pgettext_lazy("member step", "Link ended"),
            event="unlinked",
        ),
        t(
            "expire",
            {S.INVITED},
            S.EXPIRED,
            By.SYSTEM,
            gettext_lazy("Invitation link expired"),
            event="expired",
        ),
    ],
)
