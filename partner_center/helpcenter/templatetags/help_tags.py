import re

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_BULLET = re.compile(r"^- ")
_NUMBER = re.compile(r"^\d+\. ")


@register.filter
def answer_html(text: str) -> str:
    """Plain-text answer to HTML: blank lines part paragraphs; a paragraph whose lines all
    start with "- " is a list, with "1. " a numbered list. Everything else is escaped."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(_BULLET.match(line) for line in lines):
            items = format_html_join("", "<li>{}</li>", ((_BULLET.sub("", li),) for li in lines))
            blocks.append(f"<ul>{items}</ul>")
        elif lines and all(_NUMBER.match(line) for line in lines):
            items = format_html_join("", "<li>{}</li>", ((_NUMBER.sub("", li),) for li in lines))
            start = int(lines[0].split(".", 1)[0])  # a list may go on after a paragraph
            blocks.append(f'<ol start="{start}">{items}</ol>')
        else:
            blocks.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("".join(blocks))  # noqa: S308 - every piece is escaped above
