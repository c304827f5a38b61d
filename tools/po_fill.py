"""Fill translations into a .po file from a {msgid: msgstr} dict (developer tool).
Usage from Python: fill("path/to/django.po", {...})."""

import polib


def fill(path: str, translations: dict[str, str]) -> int:
    po = polib.pofile(path)
    done = 0
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            done += 1
    po.save()
    return done
