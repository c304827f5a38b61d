"""The "needs me" list: settled bills whose invoice is not requested yet (oldest first)."""

import pytest
import time_machine
from django.urls import reverse

from tests.billing.factories import make_bill

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-06-15 10:00 +0800", tick=False)
def test_settled_bills_without_invoice_are_on_the_list(partner, owner, outsider, login):
    make_bill(partner, "2026-04", lines=3, settled=True)
    make_bill(partner, "2026-03", lines=3, settled=True)
    make_bill(partner, "2026-06", lines=3)  # running: nothing to request yet
    make_bill(outsider.partner, "2026-02", lines=3, settled=True)
    client = login(owner)
    response = client.get(reverse("todo"), HTTP_ACCEPT_LANGUAGE="en")
    found = [i for i in response.context["todo_items"] if i.kind == "invoice_to_request"]
    assert [i.title for i in found] == ["Bill 2026-03", "Bill 2026-04"]
    assert client.get(found[0].url).status_code == 200
