import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' messages are read in English here (the product's default is Chinese);
    tests of Chinese pages ask for it explicitly."""
    with translation.override("en"):
        yield
