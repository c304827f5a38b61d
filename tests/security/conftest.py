import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def mfa_on(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    return settings


@pytest.fixture
def with_authenticator():
    """with_authenticator(user) -> a confirmed TOTP device for the user."""

    def make(user) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)

    return make
