"""`makemessages` that also collects notification texts: `msg("...")` (messages.py) marks a
text to translate when it is read, so xgettext must know it as a keyword."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=msg"]
