import itertools

import factory

from partner_center.accounts.models import Partner, PartnerTypeMembership, User
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.accounts.uscc import make_uscc
from partner_center.programs.models import PCEApplication

_codes = itertools.count(1)


def next_credit_code() -> str:
    return make_uscc(f"9111010{next(_codes):010d}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试伙伴{n}有限公司")
    credit_code = factory.LazyFunction(next_credit_code)
    contact_email = factory.Sequence(lambda n: f"contact{n}@partner.test")

    @factory.post_generation
    def types(self, create, extracted, **kwargs):
        for code in extracted or [PartnerType.SOLUTION_PROVIDER]:
            PartnerTypeMembership.objects.create(partner=self, partner_type=code)
        self.__dict__.pop("type_codes", None)

    @factory.post_generation
    def pce(self, create, extracted, **kwargs):
        if extracted:
            PCEApplication.objects.create(partner=self, state=PCEApplication.State.APPROVED)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.CUSTOMER
    real_name_status = User.RealName.PERSONAL

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pw-Secret-123")
        self.save(update_fields=["password"])


def partner_user(partner, role=Role.PARTNER_ADMIN, **kwargs) -> User:
    return UserFactory(partner=partner, role=role, **kwargs)


def money_members(partner) -> tuple[User, User]:
    """Two members of `partner`: one with the grant to move money, one without."""
    granted = partner_user(
        partner, Role.PARTNER_MEMBER, email="m1@huayun.test", can_move_money=True
    )
    return granted, partner_user(partner, Role.PARTNER_MEMBER, email="m2@huayun.test")
