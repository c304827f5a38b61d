"""A WeasyPrint renderer process for bill PDFs (no Django: it renders files the parent wrote).

Started by `billing.pdf.RendererPool` as `python -m billing.pdf_worker`. Reads one job per
line on stdin, JSON `{"id": ..., "html": path, "pdf": path}`, renders the HTML file to the
PDF file and answers one JSON line `{"id": ..., "pages": n}` (or `{"id": ..., "error": ...}`)
on stdout. Anything else that writes to stdout is sent to stderr, so replies stay clean."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import json
import os
import sys


def _release_memory():
    """Give freed heap back to the system between jobs (glibc), so a long bill does not
    leave the renderer at the high-water mark of its largest chunk."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if name:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name).malloc_trim(0)


def main() -> int:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # stray prints must not corrupt the reply channel
    from weasyprint import HTML

    for raw in sys.stdin:
        if not raw.strip():
            continue
        job = json.loads(raw)
        try:
            document = HTML(filename=job["html"]).render()
            document.write_pdf(job["pdf"])
            reply = {"id": job["id"], "pages": len(document.pages)}
            del document
        except Exception as exc:  # reported to the parent, which fails the export with it
            reply = {"id": job["id"], "error": f"{type(exc).__name__}: {exc}"}
        _release_memory()
        replies.write(json.dumps(reply) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
