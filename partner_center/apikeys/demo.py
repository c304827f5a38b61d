"""Demo: 华云数智's admin has an API key for its CRM (opportunities) and a revoked one; the
BD user has a read-only key of their own."""

from . import services


def load(ctx) -> None:
    admin = ctx.users["huayun_admin"]
    services.create_key(
        actor=admin, label="CRM 同步", scopes=["opportunities"], expires_in_days=180
    )
    old, _ = services.create_key(
        actor=admin, label="旧 ERP 接口", scopes=["customers", "billing"], expires_in_days=30
    )
    services.revoke_key(actor=admin, key=old)
    services.create_key(actor=ctx.users["bd"], label="BD 报表", scopes=[], expires_in_days=90)
