"""The OpenAPI document (and the docs page that loads it) is in English whatever the
request's language: Accept-Language, the language cookie, `?lang=` or the user's own
preferred language. (Request examples carry sample user data, which may be Chinese.)"""

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def chinese_user(owner):
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    return owner


def _schema(client, query="", **extra) -> dict:
    response = client.get(f"/api/schema/?format=json{query}", **extra)
    assert response.status_code == 200
    return json.loads(response.content)


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _chinese_texts(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("example", "examples"):  # sample user data
                yield from _chinese_texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _chinese_texts(value, f"{path}/{i}")
    elif isinstance(node, str) and CJK.search(node):
        yield f"{path}: {node[:60]}"


def test_schema_is_english_for_a_chinese_reader(chinese_user):
    client = Client()
    client.force_login(chinese_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese_request = _schema(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert list(_chinese_texts(chinese_request)) == []
    assert list(_chinese_texts(_schema(client, "&lang=zh-hans"))) == []
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _schema(client, HTTP_ACCEPT_LANGUAGE="en") == chinese_request
    # Texts that do have a Chinese translation are served in English.
    with translation.override("zh-hans"):
        translatable = [t for t in _strings(chinese_request) if gettext(t) != t]
    assert len(translatable) > 20


def test_docs_page_is_english(chinese_user):
    client = Client()
    client.force_login(chinese_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert not CJK.findall(page.content.decode())
