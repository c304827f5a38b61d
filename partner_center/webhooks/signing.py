"""Signing a delivery: `X-PC-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
`f"{t}.{body}"` with the endpoint's secret (the README shows how to verify it)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
