import pytest

from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, partner_user


@pytest.fixture
def distributor(db):
    return PartnerFactory(
        name="鼎盛云联信息技术有限公司", types=[PartnerType.DISTRIBUTOR], pce=True
    )


@pytest.fixture
def distributor_admin(distributor):
    return partner_user(distributor, Role.PARTNER_ADMIN, email="admin@dingsheng.test")


@pytest.fixture
def resellers(distributor):
    return [
        PartnerFactory(name=name, types=[PartnerType.RESELLER], parent_distributor=distributor)
        for name in ("启航云服科技(深圳)有限公司", "星河云创软件有限公司")
    ]
