"""Who may do what in certification. Views, API classes and menus name these, never roles."""

from partner_center.accounts.permissions import PARTNER_ROLES, Role, capability

# Partner side: every user of a partner sees its certifications; its admin manages them.
VIEW_CERTIFICATION = capability("certification.view", PARTNER_ROLES)
MANAGE_CERTIFICATION = capability("certification.manage", {Role.PARTNER_ADMIN})
# Vendor side: certification specialists (and admins) review and decide.
REVIEW_CERTIFICATION = capability("certification.review", {Role.CERT_SPECIALIST, Role.ADMIN})
# Pages both sides share (lists, details, downloads); rows are scoped per user.
USE_CERTIFICATION = capability(
    "certification.use", PARTNER_ROLES | {Role.CERT_SPECIALIST, Role.ADMIN}
)
# Online defenses are organised by specialists, or by the partner's PDM (vendor staff
# assigned to the partner: the object check is in `selectors.is_pdm_of`).
ORGANIZE_DEFENSE = capability(
    "certification.organize_defense", {Role.CERT_SPECIALIST, Role.ADMIN, Role.BD}
)
# Label applications are seen by the partner, reviewers, and the partner's PDM.
VIEW_LABEL_APPLICATIONS = capability(
    "certification.view_label_applications",
    PARTNER_ROLES | {Role.CERT_SPECIALIST, Role.ADMIN, Role.BD},
)
