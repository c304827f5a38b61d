"""Fixtures for certification tests: a label with two criteria, and a PDM."""

import pytest
from django.utils import translation

from certification import services
from certification.models import CapabilityLabel, LabelCriterion
from partner_center.accounts.permissions import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English; pages choose their language per request."""
    with translation.override("en"):
        yield


@pytest.fixture
def label(db):
    label = CapabilityLabel.objects.create(
        code="cloud-migration", name_zh="云迁移交付能力", name_en="Cloud migration delivery"
    )
    for i, (zh, en) in enumerate(
        [("已完成的迁移项目", "Completed projects"), ("持证交付人员", "Certified staff")], start=1
    ):
        LabelCriterion.objects.create(label=label, position=i, title_zh=zh, title_en=en)
    return label


@pytest.fixture
def pdm(partner):
    """A BD user assigned as the partner's PDM."""
    user = UserFactory(role=Role.BD, email="pdm@vendor.test", full_name="PDM 刘")
    services.pdm_assign(actor=None, partner=partner, user=user)
    return user
