"""Checking and storing certification files.

A file is accepted only when its name, its size and its real content agree: the extension
is one of the allowed formats (and the only extension), the magic bytes say the same format,
an image opens and decodes completely in Pillow, a PDF parses in pypdf and carries no
scripts or embedded files. Nothing is stored until every check passed. Files are written
through Django's storage API under a server-generated name and recorded by their path
relative to the storage root (a sub-folder and the file name)."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import uuid
import warnings
from dataclasses import dataclass

import filetype
from django.core.files.storage import storages
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from partner_center.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024  # 10 MB per file
MAX_PIXELS = 50_000_000  # a 600-dpi A4 scan is about 35 million pixels

# Allowed extensions -> the canonical format the content must have.
FORMATS = {
    "jpg": "jpg",
    "jpeg": "jpg",
    "png": "png",
    "gif": "gif",
    "bmp": "bmp",
    "pdf": "pdf",
}
IMAGE_FORMATS = frozenset({"jpg", "png", "gif", "bmp"})
ALL_FORMATS = frozenset(FORMATS.values())
MIME = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "pdf": "application/pdf",
}
PILLOW_FORMATS = {"jpg": {"JPEG", "MPO"}, "png": {"PNG"}, "gif": {"GIF"}, "bmp": {"BMP", "DIB"}}
# Inner name parts that make a name a double extension ("x.pdf.exe", "scan.exe.jpg").
_KNOWN_EXTENSIONS = frozenset(FORMATS) | {
    "exe", "com", "bat", "cmd", "msi", "scr", "dll", "sh", "bash", "ps1", "vbs", "js", "jse",
    "jar", "py", "php", "asp", "aspx", "jsp", "cgi", "pl", "html", "htm", "xhtml", "svg",
    "svgz", "xml", "hta", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "7z",
    "gz", "tar", "txt", "rtf", "tif", "tiff", "webp", "heic", "ico", "apk", "bin", "iso",
}  # fmt: skip
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")

logging.getLogger("pypdf").setLevel(logging.ERROR)


def formats_text(formats: frozenset[str] = ALL_FORMATS) -> str:
    """The accepted extensions for messages and help texts: "JPG, JPEG, BMP, PNG, GIF, PDF"."""
    names = [ext for ext in ("jpg", "jpeg", "bmp", "png", "gif", "pdf") if FORMATS[ext] in formats]
    return ", ".join(n.upper() for n in names)


def accept_attribute(formats: frozenset[str] = ALL_FORMATS) -> str:
    """The `accept` attribute of a file input for these formats."""
    return ",".join(f".{ext}" for ext, fmt in FORMATS.items() if fmt in formats)


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    extension: str  # canonical format: jpg, png, gif, bmp or pdf
    content_type: str
    size: int
    sha256: str


def _megabytes(size: int) -> str:
    """Rounded up, so a file just over the limit never reads "10.0 MB"."""
    return f"{math.ceil(size * 10 / (1024 * 1024)) / 10:.1f} MB"


def _refuse(message: str, field: str) -> DomainError:
    return DomainError(message, field=field, code="bad_file")


def check_upload(upload, *, formats: frozenset[str] = ALL_FORMATS, field: str = "file"):
    """Check an uploaded file (a Django `UploadedFile`) and return what it really is.

    Raises `DomainError` with a message naming the file and what is wrong with it."""
    if upload is None:
        raise _refuse(_("Choose a file to upload."), field)
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    shown = name or _("(no name)")
    parts = name.lower().split(".")
    extension = parts[-1] if len(parts) > 1 else ""
    if any(part in _KNOWN_EXTENSIONS for part in parts[1:-1]):
        raise _refuse(
            _(
                "“%(name)s” has more than one extension. Rename it with a single extension, "
                "for example licence.pdf."
            )
            % {"name": shown},
            field,
        )
    if extension not in FORMATS or FORMATS[extension] not in formats:
        raise _refuse(
            _("“%(name)s” cannot be uploaded: only %(formats)s files are accepted.")
            % {"name": shown, "formats": formats_text(formats)},
            field,
        )
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("“%(name)s” is empty.") % {"name": shown}, field)
    if size > MAX_BYTES:
        raise _refuse(
            _("“%(name)s” is %(size)s; a file may be at most 10 MB.")
            % {"name": shown, "size": _megabytes(size)},
            field,
        )
    expected = FORMATS[extension]
    upload.seek(0)
    head = upload.read(512)
    kind = filetype.guess(head)
    actual = {"jpg": "jpg", "png": "png", "gif": "gif", "bmp": "bmp", "pdf": "pdf"}.get(
        kind.extension if kind else ""
    )
    if actual != expected:
        raise _refuse(
            _(
                "“%(name)s” is not a real %(ext)s file: its content does not match its name. "
                "Upload the original scan or photo."
            )
            % {"name": shown, "ext": extension.upper()},
            field,
        )
    if expected in IMAGE_FORMATS:
        _check_image(upload, expected, shown, field)
    else:
        _check_pdf(upload, shown, field)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        original_name=name[:255],
        extension=expected,
        content_type=MIME[expected],
        size=size,
        sha256=digest.hexdigest(),
    )


def _check_image(upload, expected: str, shown: str, field: str) -> None:
    damaged = _refuse(
        _("“%(name)s” is a damaged or incomplete image. Upload the complete file.")
        % {"name": shown},
        field,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
                if image.format not in PILLOW_FORMATS[expected]:
                    raise damaged
                if image.width * image.height > MAX_PIXELS:
                    raise _refuse(
                        _("“%(name)s” is too large an image (more than 50 million pixels).")
                        % {"name": shown},
                        field,
                    )
                image.verify()
            # verify() checks the structure; decoding every pixel also catches truncation.
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
    except DomainError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as exc:
        raise damaged from exc
    finally:
        upload.seek(0)


def _check_pdf(upload, shown: str, field: str) -> None:
    damaged = _refuse(
        _("“%(name)s” is a damaged or incomplete PDF. Upload the complete file.") % {"name": shown},
        field,
    )
    try:
        upload.seek(0)
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise _refuse(
                _("“%(name)s” is password-protected. Upload a PDF without a password.")
                % {"name": shown},
                field,
            )
        if len(reader.pages) == 0:
            raise damaged
        for page in reader.pages:
            page.get("/MediaBox")
    except DomainError:
        raise
    except (
        PyPdfError,
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
    ) as exc:
        raise damaged from exc
    finally:
        upload.seek(0)
    tail = b""
    for chunk in upload.chunks():
        if _PDF_ACTIVE.search(tail + chunk):
            upload.seek(0)
            raise _refuse(
                _("“%(name)s” contains scripts or embedded files, which are not accepted.")
                % {"name": shown},
                field,
            )
        tail = chunk[-32:]
    upload.seek(0)


def storage():
    """The storage certification files go to: Django's default storage (the file system,
    or an S3-compatible bucket through django-storages in production)."""
    return storages["default"]


def store(upload, checked: CheckedFile, *, folder: str) -> str:
    """Write the checked file under a new server-generated name; return its relative path."""
    wanted = f"{folder}/{uuid.uuid4().hex}.{checked.extension}"
    upload.seek(0)
    from partner_center.storage import save_or_refuse

    saved = save_or_refuse(storage(), wanted, upload, field=None)
    return relative_path(saved)


def relative_path(name: str) -> str:
    """A storage name as we record it. Storages return names relative to their root (an
    S3 storage leaves out the bucket and its `location`, such as `download/`), so this only
    normalises separators; a name that is not relative is a configuration error."""
    path = name.replace("\\", "/")
    if path.startswith("/") or "://" in path or path.startswith("download/"):
        raise RuntimeError(f"Storage returned a name that is not relative: {name!r}")
    return path


def delete_quietly(path: str) -> None:
    try:
        storage().delete(path)
    except Exception:  # noqa: BLE001 - a stale file is not worth failing a request for
        logging.getLogger(__name__).warning("Could not delete stored file %s", path)


def open_stored(path: str):
    return storage().open(path, "rb")
