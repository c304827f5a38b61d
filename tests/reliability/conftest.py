from tests.opportunities.conftest import *  # noqa: F403 - PO helpers and personas
