"""Give the notifications sent before message keys existed their key and parameters, so
they too are shown in their reader's language.

A stored title/body is matched against the catalogues: each msgid and its Chinese msgstr
become a pattern whose `%(name)s` placeholders are named groups; the first pattern (most
literal text first) that matches the whole text gives the key and the parameters. A text
that matches nothing (user data, free text) keeps its text. The catalogues are the compiled
ones (`compilemessages` runs before `migrate` in the image); ORM only, so SQLite migrates
too."""

import re

from django.db import migrations

PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])|%%")
MIN_LITERAL = 4  # "%(a)s" alone, or "%(a)s: %(b)s", would match anything
MIN_EXACT_BODY = 8


def _pattern(text: str):
    """A regex for a format string, and how much literal text it holds (None: unusable)."""
    parts, seen, literal, pos = [], set(), 0, 0
    for match in PLACEHOLDER.finditer(text):
        chunk = text[pos : match.start()]
        parts.append(re.escape(chunk))
        literal += len(chunk.strip())
        if match.group(0) == "%%":
            parts.append("%")
            literal += 1
        elif match.group(1) in seen:
            parts.append(f"(?P={match.group(1)})")
        else:
            seen.add(match.group(1))
            number = match.group(2) == "d"
            parts.append(f"(?P<{match.group(1)}>{'-?[0-9]+' if number else '.+?'})")
        pos = match.end()
    chunk = text[pos:]
    parts.append(re.escape(chunk))
    literal += len(chunk.strip())
    if literal < MIN_LITERAL:
        return None, 0
    return re.compile("".join(parts) + r"\Z", re.S), literal


def catalogue_patterns(language: str = "zh-hans"):
    """[(regex, key, context)] for every msgid and its translation, most specific first;
    and {text: (key, context)} for the texts without placeholders."""
    from django.utils.translation import trans_real

    exact: dict[str, tuple[str, str | None]] = {}
    patterns = []
    catalogue = trans_real.translation(language)._catalog
    for raw_key, translated in catalogue.items():
        if not isinstance(raw_key, str) or not raw_key or not isinstance(translated, str):
            continue  # plural forms and the header
        context, _sep, key = raw_key.rpartition("\x04")
        context = context or None
        for text in {key, translated}:
            if "%" not in text:
                exact.setdefault(text, (key, context))
                continue
            regex, literal = _pattern(text)
            if regex is not None:
                patterns.append((literal, regex, key, context))
    patterns.sort(key=lambda row: -row[0])
    return [(regex, key, context) for _n, regex, key, context in patterns], exact


def match(text: str, patterns, exact, *, min_exact: int = 0) -> dict | None:
    """The stored message (as messages.Message.to_json) for `text`, or None. A body may be
    a user's short reason that happens to equal a catalogue word ("同意"): `min_exact`."""
    if not text:
        return None
    if text in exact and len(text) >= min_exact:
        key, context = exact[text]
        return {"key": key, **({"context": context} if context else {})}
    for regex, key, context in patterns:
        found = regex.match(text)
        if found:
            params = {
                name: int(value) if regex.pattern.count(f"(?P<{name}>-?[0-9]+)") else value
                for name, value in found.groupdict().items()
            }
            data = {"key": key, "params": params}
            if context:
                data["context"] = context
            return data
    return None


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.filter(title_message__isnull=True, body_message__isnull=True)
    if not rows.exists():
        return
    patterns, exact = catalogue_patterns()
    changed = []
    for note in rows.only("pk", "title", "body").iterator(chunk_size=2000):
        title = match(note.title, patterns, exact)
        body = match(note.body, patterns, exact, min_exact=MIN_EXACT_BODY)
        if title is None and body is None:
            continue
        note.title_message, note.body_message = title, body
        changed.append(note)
        if len(changed) >= 1000:
            Notification.objects.bulk_update(changed, ["title_message", "body_message"])
            changed = []
    if changed:
        Notification.objects.bulk_update(changed, ["title_message", "body_message"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_digests_topic_settings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
