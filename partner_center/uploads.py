"""Every file a user gives us, checked the same way at the service level, and every stored
file served back the same way.

`check_upload` (documents and images) and `check_spreadsheet` (CSV/XLSX imports) are called
by the services, so the page, the API, the admin and a task get the same rule; they raise
`DomainError(field=...)` (pages show it next to the field, the API answers 400) and never
store anything. The rules:

* the name's last extension must be one of the field's formats, and no inner part of the name
  may be another known extension (`x.pdf.exe`, `x.php.png`, `scan.exe.jpg` are refused;
  `report.2026.pdf` is fine); HTML, SVG and XML are never accepted;
* 0-byte files and files over the field's size limit are refused;
* the real content must be the named format (magic bytes through `filetype`), then
  - an image is decoded completely by Pillow, with a pixel limit (decompression bombs refused),
  - a PDF is parsed by pypdf and every parsed object is walked (names are decoded, so
    `/J#61vaScript` is `/JavaScript`): scripts, launch/submit actions, automatic actions
    (`/AA`, an `/OpenAction` that is an action), embedded files, rich media and XFA forms are
    refused, as are password-protected PDFs;
  - a spreadsheet is read with limits: XLSX zip entries, their decompressed size and ratio
    (zip bombs), macros refused; rows, columns and cell length; a header row is required.

Accepted files are stored under a server-generated name (`<folder>/<uuid>.<ext>`); the
original name is only kept in a database field for display. `download_response` serves a
stored file as an attachment with a safe RFC 6266 file name, the stored content type,
`nosniff`, a sandboxing CSP and `Cache-Control: private, no-store`.

The module also holds the hard cap on the size of a request body (`RequestSizeCapHandler`,
first in `FILE_UPLOAD_HANDLERS`): a multipart body larger than `UPLOAD_MAX_REQUEST_BYTES` is
refused before or while it is read (Django's `RequestDataTooBig`, a 400)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import logging
import math
import re
import uuid
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.storage import storages
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from partner_center.errors import DomainError
from partner_center.exports import content_disposition

logger = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)

MB = 1024 * 1024
MAX_BYTES = 10 * MB  # documents and images, per file
MAX_PIXELS = 40_000_000  # a 600-dpi A4 scan is about 35 million pixels
SPREADSHEET_MAX_BYTES = 5 * MB
SPREADSHEET_MAX_ROWS = 5000  # data rows, without the header
SPREADSHEET_MAX_COLUMNS = 50
SPREADSHEET_MAX_CELL_CHARS = 5000
XLSX_MAX_ENTRIES = 500
XLSX_MAX_UNPACKED_BYTES = 100 * MB
XLSX_MAX_RATIO = 200  # a zip entry may unpack to at most 200 times its packed size
PDF_MAX_OBJECTS = 200_000

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
SPREADSHEET_FORMATS = frozenset({"csv", "xlsx"})
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": XLSX_MIME,
}
PILLOW_FORMATS = {"jpg": {"JPEG", "MPO"}, "png": {"PNG"}, "gif": {"GIF"}, "bmp": {"BMP", "DIB"}}
# Inner name parts that make a name a double extension ("x.pdf.exe", "x.php.png").
_KNOWN_EXTENSIONS = frozenset(FORMATS) | SPREADSHEET_FORMATS | {
    "exe", "com", "bat", "cmd", "msi", "scr", "dll", "sh", "bash", "ps1", "vbs", "js", "jse",
    "mjs", "jar", "py", "php", "php3", "php4", "php5", "phtml", "phar", "asp", "aspx", "jsp",
    "cgi", "pl", "rb", "html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "hta",
    "doc", "docx", "docm", "xls", "xlsm", "ppt", "pptx", "zip", "rar", "7z", "gz", "tar",
    "txt", "rtf", "tif", "tiff", "webp", "heic", "ico", "apk", "bin", "iso", "lnk", "reg",
}  # fmt: skip

# PDF dictionary keys and action types that run something, fetch something or carry a file.
_PDF_ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia"}
    | {"/XFA", "/AA"}
)
_PDF_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute", "/GoToE"}
    | {"/Rendition", "/Sound", "/Movie"}
)
_PDF_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/Filespec", "/RichMedia"})
# Names written in the raw bytes, `#xx` escapes allowed anywhere (checked after decoding).
_PDF_RAW_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]{1,64}")
_PDF_RAW_ACTIVE = frozenset(
    {b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles", b"/RichMedia"}
    | {b"/XFA"}
)
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def formats_text(formats: frozenset[str] = ALL_FORMATS) -> str:
    """The accepted extensions for messages and help texts: "JPG, JPEG, BMP, PNG, GIF, PDF"."""
    if formats <= SPREADSHEET_FORMATS:
        return ", ".join(ext.upper() for ext in ("csv", "xlsx") if ext in formats)
    names = [ext for ext in ("jpg", "jpeg", "bmp", "png", "gif", "pdf") if FORMATS[ext] in formats]
    return ", ".join(n.upper() for n in names)


def accept_attribute(formats: frozenset[str] = ALL_FORMATS) -> str:
    """The `accept` attribute of a file input for these formats."""
    if formats <= SPREADSHEET_FORMATS:
        return ",".join(f".{ext}" for ext in sorted(formats))
    return ",".join(f".{ext}" for ext, fmt in FORMATS.items() if fmt in formats)


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    extension: str  # canonical format: jpg, png, gif, bmp, pdf, csv or xlsx
    content_type: str
    size: int
    sha256: str

    def stored_fields(self) -> dict:
        """What a stored file's row keeps of the check: its name, type, size and digest."""
        return {
            "original_name": self.original_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


def _checked(upload, name: str, extension: str, size: int) -> CheckedFile:
    """What a check that passed found out about `upload`, with its digest."""
    return CheckedFile(
        original_name=name,
        extension=extension,
        content_type=MIME[extension],
        size=size,
        sha256=_digest(upload),
    )


def _megabytes(size: int) -> str:
    """Rounded up, so a file just over the limit never reads "10.0 MB"."""
    return f"{math.ceil(size * 10 / MB) / 10:.1f} MB"


def _refuse(message: str, field: str) -> DomainError:
    return DomainError(message, field=field, code="bad_file")


def display_name(upload) -> str:
    """The uploader's file name without folders or control characters (for display only)."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255]


def _check_name_and_size(upload, *, allowed: dict[str, str], formats, field, max_bytes):
    """(display name, canonical format the name asks for)."""
    if upload is None:
        raise _refuse(_("Choose a file to upload."), field)
    name = display_name(upload)
    shown = name or _("(no name)")
    parts = name.lower().split(".")
    extension = parts[-1].strip() if len(parts) > 1 else ""
    if any(part.strip() in _KNOWN_EXTENSIONS for part in parts[1:-1]):
        raise _refuse(
            _(
                "“%(name)s” has more than one extension. Rename it with a single extension, "
                "for example licence.pdf."
            )
            % {"name": shown},
            field,
        )
    if extension not in allowed or allowed[extension] not in formats:
        raise _refuse(
            _("“%(name)s” cannot be uploaded: only %(formats)s files are accepted.")
            % {"name": shown, "formats": formats_text(formats)},
            field,
        )
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("“%(name)s” is empty.") % {"name": shown}, field)
    if size > max_bytes:
        raise _refuse(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s.")
            % {"name": shown, "size": _megabytes(size), "limit": f"{max_bytes // MB} MB"},
            field,
        )
    return name, shown, extension, allowed[extension], size


def _digest(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_upload(
    upload,
    *,
    formats: frozenset[str] = ALL_FORMATS,
    field: str = "file",
    max_bytes: int = MAX_BYTES,
) -> CheckedFile:
    """Check an uploaded document or image (a Django `UploadedFile` or any File) and return
    what it really is. Raises `DomainError` naming the file and what is wrong with it."""
    name, shown, extension, expected, size = _check_name_and_size(
        upload, allowed=FORMATS, formats=formats, field=field, max_bytes=max_bytes
    )
    upload.seek(0)
    kind = filetype.guess(upload.read(512))
    upload.seek(0)
    actual = kind.extension if kind and kind.extension in ALL_FORMATS else None
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
    return _checked(upload, name, expected, size)


def _check_image(upload, expected: str, shown: str, field: str) -> None:
    damaged = _refuse(
        _("“%(name)s” is a damaged or incomplete image. Upload the complete file.")
        % {"name": shown},
        field,
    )
    too_large = _refuse(
        _("“%(name)s” is too large an image (more than %(n)s million pixels).")
        % {"name": shown, "n": MAX_PIXELS // 1_000_000},
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
                    raise too_large
                image.verify()
            # verify() checks the structure; decoding every pixel also catches truncation.
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise damaged from exc
    finally:
        upload.seek(0)


def _check_pdf(upload, shown: str, field: str) -> None:
    damaged = _refuse(
        _("“%(name)s” is a damaged or incomplete PDF. Upload the complete file.") % {"name": shown},
        field,
    )
    active = _refuse(
        _("“%(name)s” contains scripts or embedded files, which are not accepted.")
        % {"name": shown},
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
        if _pdf_has_active_content(reader):
            raise active
    except DomainError:
        raise
    except (
        PyPdfError,
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    ) as exc:
        raise damaged from exc
    finally:
        upload.seek(0)
    # Objects pypdf could not reach (a broken cross-reference table) are still in the bytes:
    # their names are read outside stream data (binary data would give false alarms).
    upload.seek(0)
    outside_streams = _PDF_STREAM_DATA.sub(b" ", upload.read())
    upload.seek(0)
    for match in _PDF_RAW_NAME.finditer(outside_streams):
        decoded = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group())
        if decoded in _PDF_RAW_ACTIVE:
            raise active


def _pdf_objects(reader: PdfReader):
    """Every object of the file: the trailer, and each object of the cross-reference tables
    (including those stored in object streams)."""
    yield reader.trailer
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def _pdf_has_active_content(reader: PdfReader) -> bool:
    """Walk the parsed objects (names come decoded: `/J#61vaScript` is `/JavaScript`)."""
    seen: set[tuple[int, int]] = set()
    stack = list(_pdf_objects(reader))
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise ValueError("too many PDF objects")
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in _PDF_ACTIVE_KEYS:
                    return True
                if name == "/S" and value in _PDF_ACTIVE_ACTIONS:
                    return True
                if name == "/Type" and value in _PDF_ACTIVE_TYPES:
                    return True
                if name == "/OpenAction":
                    target = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(target, DictionaryObject):  # an action, not a destination
                        return True
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in _PDF_ACTIVE_ACTIONS:
            return True
    return False


# ---- Spreadsheets (imports) ------------------------------------------------------------


def check_spreadsheet(
    upload,
    *,
    field: str = "file",
    max_bytes: int = SPREADSHEET_MAX_BYTES,
    max_rows: int = SPREADSHEET_MAX_ROWS,
    scan_cells: bool | None = None,
) -> CheckedFile:
    """Check an import file (CSV or XLSX): name, size, content, zip-bomb limits, a header row,
    rows, columns and cell length. Also called by the import worker on the stored file.

    A CSV is read whole (it is cheap). An XLSX is checked at upload time by its zip entries,
    its declared size and its header row only — reading every cell of 5000 rows takes
    seconds — unless `scan_cells=True` (what the import worker asks for)."""
    allowed = {"csv": "csv", "xlsx": "xlsx"}
    name, shown, extension, expected, size = _check_name_and_size(
        upload, allowed=allowed, formats=SPREADSHEET_FORMATS, field=field, max_bytes=max_bytes
    )
    if expected == "xlsx":
        scan_cells = bool(scan_cells)
        rows = _xlsx_rows(upload, shown, field, max_rows)
    else:
        scan_cells = True
        rows = _csv_rows(upload, shown, field)
    _check_table(rows, shown, field, max_rows, header_only=not scan_cells)
    return _checked(upload, name, expected, size)


def _unreadable(shown: str, field: str, fmt: str) -> DomainError:
    return _refuse(
        _("“%(name)s” is not a readable %(format)s file. Start from the template.")
        % {"name": shown, "format": fmt.upper()},
        field,
    )


def _xlsx_rows(upload, shown: str, field: str, max_rows: int):
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        raise _unreadable(shown, field, "xlsx")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            unpacked = sum(entry.file_size for entry in entries)
            bomb = (
                len(entries) > XLSX_MAX_ENTRIES
                or unpacked > XLSX_MAX_UNPACKED_BYTES
                or any(
                    entry.file_size > XLSX_MAX_RATIO * max(entry.compress_size, 1024)
                    for entry in entries
                )
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable(shown, field, "xlsx") from exc
    finally:
        upload.seek(0)
    if bomb:
        raise _refuse(
            _("“%(name)s” unpacks to far more data than a spreadsheet of this size can hold.")
            % {"name": shown},
            field,
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _unreadable(shown, field, "xlsx")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse(
            _("“%(name)s” contains macros, which are not accepted.") % {"name": shown}, field
        )
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any workbook openpyxl cannot read
        raise _unreadable(shown, field, "xlsx") from exc
    finally:
        upload.seek(0)
    return _closing_rows(workbook, upload, shown, field, max_rows)


def _closing_rows(workbook, upload, shown, field, max_rows):
    try:
        if not workbook.worksheets:
            raise _unreadable(shown, field, "xlsx")
        sheet = workbook.worksheets[0]
        # The size the sheet declares (its <dimension>), when it declares one.
        if (sheet.max_column or 0) > SPREADSHEET_MAX_COLUMNS:
            raise _too_many_columns(shown, field)
        if (sheet.max_row or 0) > max_rows + 1:
            raise _too_many_rows(shown, field, max_rows)
        for row in sheet.iter_rows(values_only=True):
            yield ["" if value is None else str(value) for value in row]
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip
        raise _unreadable(shown, field, "xlsx") from exc
    finally:
        workbook.close()
        with contextlib.suppress(ValueError, OSError):  # the caller may have closed it
            upload.seek(0)


def _csv_rows(upload, shown: str, field: str):
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    if isinstance(raw, str):
        raw = raw.encode()
    if b"\x00" in raw:
        raise _unreadable(shown, field, "csv")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(_("“%(name)s” is neither UTF-8 nor GB18030 text.") % {"name": shown}, field)
    try:
        # Each cell is limited below; the module's own limit only has to let them through.
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise _unreadable(shown, field, "csv") from exc


def _too_many_columns(shown: str, field: str) -> DomainError:
    return _refuse(
        _("“%(name)s” has more than %(n)s columns. Start from the template.")
        % {"name": shown, "n": SPREADSHEET_MAX_COLUMNS},
        field,
    )


def _too_many_rows(shown: str, field: str, max_rows: int) -> DomainError:
    return _refuse(
        _("“%(name)s” has more than %(n)s rows; split it into several files.")
        % {"name": shown, "n": max_rows},
        field,
    )


def _check_table(rows, shown: str, field: str, max_rows: int, *, header_only: bool) -> None:
    try:
        header = _read_table(rows, shown, field, max_rows, header_only=header_only)
    finally:
        if hasattr(rows, "close"):
            rows.close()  # a generator stopped early still closes its workbook
    if header is None:
        raise _refuse(
            _("“%(name)s” has no header row. Start from the template.") % {"name": shown}, field
        )


def _read_table(rows, shown: str, field: str, max_rows: int, *, header_only: bool):
    header = None
    count = 0
    for cells in rows:
        if len(cells) > SPREADSHEET_MAX_COLUMNS:
            raise _too_many_columns(shown, field)
        if any(len(cell) > SPREADSHEET_MAX_CELL_CHARS for cell in cells):
            raise _refuse(
                _("“%(name)s” has a cell longer than %(n)s characters.")
                % {"name": shown, "n": SPREADSHEET_MAX_CELL_CHARS},
                field,
            )
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = cells
            if header_only:
                break
            continue
        count += 1
        if count > max_rows:
            raise _too_many_rows(shown, field, max_rows)
    return header


# ---- Storage ---------------------------------------------------------------------------


def storage():
    """Django's default storage (the file system, or an S3-compatible bucket through
    django-storages in production)."""
    return storages["default"]


def generated_name(checked: CheckedFile) -> str:
    """A server-generated file name for a checked file: `<uuid>.<format>`."""
    return f"{uuid.uuid4().hex}.{checked.extension}"


def store(upload, checked: CheckedFile, *, folder: str) -> str:
    """Write the checked file under a new server-generated name; return its relative path."""
    from partner_center.storage import save_or_refuse

    upload.seek(0)
    saved = save_or_refuse(storage(), f"{folder}/{generated_name(checked)}", upload, field=None)
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
        logger.warning("Could not delete stored file %s", path)


def open_stored(path: str):
    return storage().open(path, "rb")


# ---- Serving stored files --------------------------------------------------------------


def content_type_for(path: str) -> str:
    """The content type of a file we stored under a generated name (from our own extension,
    which the content was checked against), never from the uploader's name."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return MIME.get(FORMATS.get(extension, extension), "application/octet-stream")


def download_response(handle, *, filename: str, content_type: str, inline: bool = False):
    """The one way a stored file goes out: as an attachment (or inline, for images only)
    with a safe file name, its stored content type, and headers that stop a browser from
    sniffing, running or caching it."""
    inline = inline and content_type.startswith("image/")
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def field_file_response(field_file, *, filename: str = "", content_type: str = ""):
    """`download_response` for a model `FileField` value (404 when the file is gone)."""
    from django.http import Http404

    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    stored = field_file.name.rsplit("/", 1)[-1]
    return download_response(
        handle,
        filename=filename or stored,
        content_type=content_type or content_type_for(field_file.name),
    )


# ---- Admin forms ------------------------------------------------------------------------


def admin_upload_form(checks: dict):
    """A ModelForm base for the admin of a model with files: each named file field runs the
    same check as the service (`{"consent_file": check_upload}`), and a refusal shows next to
    the field. Used even where the admin shows the file read-only, so a field made editable
    later cannot skip the rule."""
    from django import forms
    from django.core.files.uploadedfile import UploadedFile

    class CheckedUploadsForm(forms.ModelForm):
        def clean(self):
            cleaned = super().clean()
            for name, check in checks.items():
                value = cleaned.get(name)
                if name in self.fields and isinstance(value, UploadedFile):
                    try:
                        check(value, field=name)
                    except DomainError as exc:
                        self.add_error(name, str(exc.message))
            return cleaned

    return CheckedUploadsForm


# ---- The request size cap --------------------------------------------------------------


def limit_bytes() -> int:
    return settings.UPLOAD_MAX_REQUEST_BYTES


def limit_text() -> str:
    return filesizeformat(limit_bytes())  # "12.0 MB", in the active language


def too_big_message() -> str:
    return _("The upload is too large: at most %(size)s can be sent at once.") % {
        "size": limit_text()
    }


class RequestSizeCapHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length and content_length > limit_bytes():
            raise RequestDataTooBig(too_big_message())

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > limit_bytes():
            raise RequestDataTooBig(too_big_message())
        return raw_data  # the next handler stores it

    def file_complete(self, file_size):
        return None  # the next handler makes the file


def bad_request(request, exception):
    """The 400 page (handler400): says how large an upload may be."""
    from django.shortcuts import render

    return render(request, "400.html", {"upload_limit": limit_text()}, status=400)
