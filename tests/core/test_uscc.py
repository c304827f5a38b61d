import pytest
from django.core.exceptions import ValidationError

from partner_center.accounts.uscc import is_valid_uscc, make_uscc, validate_uscc

# A published example code with a correct check character.
KNOWN_GOOD = "91350100M000100Y43"


def test_known_code_is_valid():
    assert is_valid_uscc(KNOWN_GOOD)


def test_changing_any_character_breaks_the_check():
    broken = KNOWN_GOOD[:5] + ("1" if KNOWN_GOOD[5] != "1" else "2") + KNOWN_GOOD[6:]
    assert not is_valid_uscc(broken)


def test_make_uscc_round_trips():
    code = make_uscc("91110108MA01ABCD1")
    assert is_valid_uscc(code) and len(code) == 18


@pytest.mark.parametrize(
    ("value", "code"),
    [("123", "length"), ("91350100M000100YI3", "alphabet"), ("91350100M000100Y44", "checksum")],
)
def test_validation_messages(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(value)
    assert exc.value.code == code
