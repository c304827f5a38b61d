"""The admin tests read the English texts."""

import pytest


@pytest.fixture
def login(login):
    def make(user):
        client = login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
