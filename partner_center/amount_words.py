"""An amount of CNY in words, for the confirmation step of every money operation.

Chinese gets two forms [our rule]: the financial capitals (大写) a cheque or a bank slip
uses, which cannot be misread or altered (`壹拾万元整`), and a short exact form in 万/亿
(`10万元`, `12万3456元7角8分`, `1亿5000万元`) that reads at a glance. English spells the
amount out (`one hundred thousand yuan`, `twelve yuan and fifty fen`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")


def _split(amount) -> tuple[int, int, int]:
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("amount in words: negative amount")
    cents = int(value * 100)
    return cents // 100, (cents // 10) % 10, cents % 10


def _section(group: int) -> str:
    """One group of four digits (1..9999) in capitals, zeros collapsed, none trailing."""
    out, zero = [], False
    for position in range(3, -1, -1):
        digit = (group // 10**position) % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[digit] + SMALL_UNITS[position])
    return "".join(out)


def zh_capitals(amount) -> str:
    """`Decimal("100000")` -> `壹拾万元整`; `1.05` -> `壹元零伍分`; `0` -> `零元整`."""
    yuan, jiao, fen = _split(amount)
    groups = []
    n = yuan
    while n:
        groups.append(n % 10000)
        n //= 10000
    text = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or group < 1000):
            text += "零"
        text += _section(group) + BIG_UNITS[index]
        need_zero = False
    if text:
        text += "元"
    if jiao == 0 and fen == 0:
        return (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text


def zh_short(amount) -> str:
    """The exact amount in 亿/万 groups: `10万元`, `12万3456元7角8分`, `1亿5000万元`."""
    yuan, jiao, fen = _split(amount)
    yi, rest = divmod(yuan, 10**8)
    wan, units = divmod(rest, 10**4)
    text = (f"{yi}亿" if yi else "") + (f"{wan}万" if wan else "") + (str(units) if units else "")
    if text or not (jiao or fen):
        text = (text or "0") + "元"
    if jiao:
        text += f"{jiao}角"
    if fen:
        text += f"{fen}分"
    return text


ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def _below_thousand(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        words.append(TENS[n // 10] + (f"-{ONES[n % 10]}" if n % 10 else ""))
    elif n:
        words.append(ONES[n])
    return " ".join(words)


def en_words_int(n: int) -> str:
    if n == 0:
        return "zero"
    words = []
    for size, name in SCALES:
        if n >= size:
            words.append(f"{en_words_int(n // size)} {name}")
            n %= size
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def en_words(amount) -> str:
    """`100000` -> `one hundred thousand yuan`; `12.50` -> `twelve yuan and fifty fen`."""
    yuan, jiao, fen = _split(amount)
    cents = jiao * 10 + fen
    if yuan == 0 and cents:
        return f"{en_words_int(cents)} fen"
    text = f"{en_words_int(yuan)} yuan"
    if cents:
        text += f" and {en_words_int(cents)} fen"
    return text


def in_words(amount, language: str | None = None) -> str:
    """The amount in words for the reader's language (Chinese: capitals and the short form)."""
    language = language or get_language() or "zh-hans"
    if language.startswith("zh"):
        return f"{zh_capitals(amount)}（{zh_short(amount)}）"
    return en_words(amount)
