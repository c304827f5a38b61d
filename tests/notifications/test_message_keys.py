"""Every notification text sent with `msg("...")` has a Chinese translation in a catalogue:
the key is rendered in the reader's language when it is read, so a missing msgid would show
the English key to a Chinese reader (and no makemessages run collects `msg` calls)."""

import ast
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "tests", "migrations", ".git"}


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def msg_calls():
    """(file:line, context, msgid) of every msg("literal", ...) in the product's code."""
    found = []
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name != "msg":
                continue
            context = next((k.value.value for k in node.keywords if k.arg == "context"), None)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            keys = _literals(node.args[0])
            assert keys, f"{where}: msg() needs a literal msgid"
            found += [(where, context, key) for key in keys]
    return found


def translated():
    keys = set()
    for po in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"):
        if ".venv" in po.parts:
            continue
        for entry in polib.pofile(str(po)):
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                keys.add((entry.msgctxt, entry.msgid))
    return keys


def test_every_msg_key_has_a_chinese_translation():
    calls = msg_calls()
    assert len(calls) > 50  # the scan found the senders
    have = translated()
    missing = [f"{where}: {key!r}" for where, ctx, key in calls if (ctx, key) not in have]
    assert not missing, "msgids missing from the catalogues:\n" + "\n".join(missing)
