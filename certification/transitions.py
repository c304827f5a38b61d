"""Every step of every certification, in one table per lifecycle
(`partner_center.workflow.Lifecycle`).

A step names the states it may start from, the state it leads to (the same state for a step
that changes data but not the state, such as uploading into a slot) and who takes it. The
table is also the field lock: a partner can change slots or evidence only in the states
where the step that changes them is allowed. `Lifecycle.apply` checks the table, saves the
changed fields and writes the event the timeline shows; services lock the row first and pass
`locked=True`. Defenses are steps of the label application's lifecycle (request, schedule,
reschedule, outcome)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from partner_center.workflow import By, Lifecycle, t

from .models import BankCardCertification, EnterpriseCertification, LabelApplication

E = EnterpriseCertification.State
B = BankCardCertification.State
L = LabelApplication.State

ENTERPRISE = Lifecycle(
    key="enterprise",
    model=EnterpriseCertification,
    transitions=[
        t("create", [E.DRAFT], E.DRAFT, By.PARTNER, gettext_lazy("Started the certification")),
        t(
            "setup",
            [E.DRAFT],
            E.DRAFT,
            By.PARTNER,
            gettext_lazy("Changed the certificates and persons"),
        ),
        t("upload", [E.DRAFT], E.DRAFT, By.PARTNER, gettext_lazy("Uploaded an attachment")),
        t(
            "upload_batch",
            [E.DRAFT],
            E.DRAFT,
            By.PARTNER,
            gettext_lazy("Uploaded several attachments at once"),
        ),
        t("submit", [E.DRAFT], E.SUBMITTED, By.PARTNER, gettext_lazy("Submitted for review")),
        t("approve", [E.SUBMITTED], E.APPROVED, By.REVIEWER, gettext_lazy("Approved")),
        t("reject", [E.SUBMITTED], E.REJECTED, By.REVIEWER, gettext_lazy("Rejected")),
        t("revise", [E.REJECTED], E.DRAFT, By.PARTNER, gettext_lazy("Reopened to revise")),
    ],
    initial=("create",),
)

BANK_CARD = Lifecycle(
    key="bank_card",
    model=BankCardCertification,
    transitions=[
        t("submit", [B.SUBMITTED], B.SUBMITTED, By.PARTNER, gettext_lazy("Submitted")),
        t("approve", [B.SUBMITTED], B.APPROVED, By.REVIEWER, gettext_lazy("Approved")),
        t("reject", [B.SUBMITTED], B.REJECTED, By.REVIEWER, gettext_lazy("Rejected")),
    ],
    initial=("submit",),
)

LABEL = Lifecycle(
    key="label",
    model=LabelApplication,
    transitions=[
        t("create", [L.DRAFT], L.DRAFT, By.PARTNER, gettext_lazy("Started the application")),
        t("edit", [L.DRAFT], L.DRAFT, By.PARTNER, gettext_lazy("Changed the summary")),
        t("add_evidence", [L.DRAFT], L.DRAFT, By.PARTNER, gettext_lazy("Added evidence")),
        t("remove_evidence", [L.DRAFT], L.DRAFT, By.PARTNER, gettext_lazy("Removed evidence")),
        t("submit", [L.DRAFT], L.SUBMITTED, By.PARTNER, gettext_lazy("Submitted for review")),
        t(
            "withdraw",
            [L.DRAFT, L.SUBMITTED],
            L.WITHDRAWN,
            By.PARTNER,
            gettext_lazy("Withdrawn"),
        ),
        t(
            "decide_criterion",
            [L.SUBMITTED],
            L.SUBMITTED,
            By.REVIEWER,
            gettext_lazy("Decided a criterion"),
        ),
        t("grant", [L.SUBMITTED], L.GRANTED, By.REVIEWER, gettext_lazy("Label granted")),
        t(
            "fail_review",
            [L.SUBMITTED],
            L.REVIEW_FAILED,
            By.REVIEWER,
            gettext_lazy("Review not passed"),
        ),
        t(
            "accept_result",
            [L.REVIEW_FAILED],
            L.REFUSED,
            By.PARTNER,
            gettext_lazy("Accepted the review result"),
        ),
        t(
            "close_defense_window",
            [L.REVIEW_FAILED],
            L.REFUSED,
            By.SYSTEM,
            gettext_lazy("No defense requested in time"),
        ),
        t(
            "request_defense",
            [L.REVIEW_FAILED],
            L.DEFENSE_REQUESTED,
            By.PARTNER,
            gettext_lazy("Online defense requested"),
        ),
        t(
            "schedule_defense",
            [L.DEFENSE_REQUESTED],
            L.DEFENSE_SCHEDULED,
            By.ORGANIZER,
            gettext_lazy("Online defense scheduled"),
        ),
        t(
            "reschedule_defense",
            [L.DEFENSE_SCHEDULED],
            L.DEFENSE_SCHEDULED,
            By.ORGANIZER,
            gettext_lazy("Online defense rescheduled"),
        ),
        t(
            "defense_grant",
            [L.DEFENSE_SCHEDULED],
            L.GRANTED,
            By.REVIEWER,
            gettext_lazy("Defense outcome: label granted"),
        ),
        t(
            "defense_refuse",
            [L.DEFENSE_SCHEDULED],
            L.REFUSED,
            By.REVIEWER,
            gettext_lazy("Defense outcome: label refused"),
        ),
    ],
    initial=("create",),
)
