"""Previews of stored certification files for reviewers: an image as a thumbnail, a PDF as
its first page rendered to PNG (by poppler's `pdftoppm`). A preview is made once and kept in
the storage next to the files (`previews/<stored name>.png`); it is served through the
access-checked download view like the file itself."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image

from . import uploads

logger = logging.getLogger(__name__)

PREVIEW_PIXELS = 900  # the longer side of a preview
PDFTOPPM_TIMEOUT = 20  # seconds


def preview_path(path: str) -> str:
    return f"previews/{path.rsplit('/', 1)[-1]}.png"


def has_preview(attachment) -> bool:
    return attachment.is_image or attachment.content_type == "application/pdf"


def preview(attachment) -> bytes | None:
    """The PNG preview of an attachment (made and stored on first use), or None when it
    cannot be made (no renderer, a file the renderer cannot read)."""
    if not has_preview(attachment):
        return None
    storage = uploads.storage()
    target = preview_path(attachment.path)
    try:
        if storage.exists(target):
            with storage.open(target, "rb") as handle:
                return handle.read()
    except OSError:
        logger.warning("Could not read preview %s", target)
    with uploads.open_stored(attachment.path) as handle:
        data = handle.read()
    png = _image_thumbnail(data) if attachment.is_image else _pdf_first_page(data)
    if png is None:
        return None
    try:
        storage.save(target, ContentFile(png))
    except OSError:
        logger.warning("Could not store preview %s", target)
    return png


def _image_thumbnail(data: bytes) -> bytes | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
            out = io.BytesIO()
            image.convert("RGB").save(out, "PNG", optimize=True)
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _pdf_first_page(data: bytes) -> bytes | None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        try:
            subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
                [
                    tool,
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    "-scale-to",
                    str(PREVIEW_PIXELS),
                    str(source),
                    str(Path(folder) / "page"),
                ],
                check=True,
                capture_output=True,
                timeout=PDFTOPPM_TIMEOUT,
            )
            return (Path(folder) / "page.png").read_bytes()
        except (subprocess.SubprocessError, OSError):
            logger.warning("Could not render a PDF preview")
            return None
