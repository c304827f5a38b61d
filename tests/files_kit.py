"""Bad and good files for the upload tests, made in memory: the same set is fed to every
upload field through every door (service, page, API, admin)."""

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

TEN_MB = 10 * 1024 * 1024


def image_bytes(fmt: str = "PNG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand (objects numbered from 1) with a correct cross-reference table,
    so names can be spelled with `#xx` escapes."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_hex_javascript() -> bytes:
    """`/S /J#61vaScript` and `/J#53` in an annotation's action: no raw "/JavaScript"."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
        b"/A << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> >>",
    )


def pdf_hex_launch() -> bytes:
    """A link whose action is `/S /L#61unch` (Launch, hex-escaped)."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
        b"/A << /S /L#61unch /F (calc.exe) >> >>",
    )


def pdf_plain_link() -> bytes:
    """A harmless hand-written PDF (a link to a page): must be accepted."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    )


def pdf_binary_stream_with_name_like_bytes() -> bytes:
    """Binary stream data that happens to hold "/JS " and "/Launch ": not names, accepted."""
    data = b"\x00\xff/JS \x10/Launch \x00\xfe"
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def pixel_bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A few hundred bytes whose header claims 30000×30000 grey pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width + 1) * 4, 9)  # a few rows; the rest is missing
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


# (case, file name, content, words in the English message)
BAD_DOCUMENTS = [
    ("html", "page.html", b"<!doctype html><html><script>alert(1)</script></html>", "only JPG, JPEG"),
    ("svg with script", "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "only JPG, JPEG"),
    ("svg named png", "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a real PNG"),
    ("x.pdf.exe", "x.pdf.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "more than one extension"),
    ("x.php.png", "x.php.png", image_bytes("PNG"), "more than one extension"),
    ("over 10 MB", "big.png", image_bytes("PNG") + b"\x00" * int(0.2 * 1024 * 1024 + TEN_MB), "at most 10 MB"),
    ("pixel bomb", "bomb.png", pixel_bomb_png(), "too large an image"),
    ("truncated png", "half.png", image_bytes("PNG", (300, 300))[:200], "damaged or incomplete image"),
    ("pdf with javascript", "active.pdf", pdf_with_javascript(), "scripts or embedded files"),
    ("pdf /J#61vaScript", "hexjs.pdf", pdf_hex_javascript(), "scripts or embedded files"),
    ("pdf /L#61unch", "launch.pdf", pdf_hex_launch(), "scripts or embedded files"),
    ("empty", "empty.png", b"", "is empty"),
]  # fmt: skip


def expected_words(case_name: str, file_name: str, words: str, images_only: bool) -> str:
    """What an image-only field (the face photo) says instead, for a PDF."""
    if images_only and file_name.endswith(".pdf"):
        return "only JPG, JPEG"
    return words


GOOD_DOCUMENTS = [
    ("png", "scan.png", image_bytes("PNG"), "image/png"),
    ("jpeg", "photo.jpeg", image_bytes("JPEG"), "image/jpeg"),
    ("gif", "anim.gif", image_bytes("GIF"), "image/gif"),
    ("bmp", "old.bmp", image_bytes("BMP"), "image/bmp"),
    ("pdf", "licence.pdf", pdf_bytes(), "application/pdf"),
    ("pdf with a page link", "link.pdf", pdf_plain_link(), "application/pdf"),
    ("dotted name", "report.2026.05.pdf", pdf_bytes(), "application/pdf"),
    ("binary stream", "scan.pdf", pdf_binary_stream_with_name_like_bytes(), "application/pdf"),
]


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_plus(name: str, data: bytes) -> bytes:
    """A real one-cell workbook with one more entry, `name`, holding `data`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(["a"], [["1"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(name, data)
    return buffer.getvalue()


def xlsx_bomb() -> bytes:
    """A real workbook plus one entry that unpacks 2000 times larger than it is packed."""
    return _xlsx_plus("xl/media/filler.bin", b"\x00" * (20 * 1024 * 1024))


def xlsx_with_macros() -> bytes:
    return _xlsx_plus("xl/vbaProject.bin", b"macro")


BAD_SPREADSHEETS = [
    ("html", "pos.html", b"<html><script>alert(1)</script></html>", "only CSV, XLSX"),
    ("x.csv.exe", "pos.csv.exe", b"MZ\x90\x00", "more than one extension"),
    ("x.php.csv", "pos.php.csv", b"customer_name\nx\n", "more than one extension"),
    ("empty", "pos.csv", b"", "is empty"),
    ("over 5 MB", "pos.csv", b"customer_name\n" + b"x\n" * (3 * 1024 * 1024), "at most 5 MB"),
    ("not a workbook", "pos.xlsx", b"not a workbook at all", "not a readable XLSX"),
    ("zip bomb", "pos.xlsx", xlsx_bomb(), "unpacks to far more data"),
    ("macros", "pos.xlsx", xlsx_with_macros(), "contains macros"),
    ("binary csv", "pos.csv", b"a,b\n\x00\x01\x02\n", "not a readable CSV"),
    ("too many columns", "pos.csv", (",".join(f"c{i}" for i in range(60)) + "\n").encode(), "more than 50 columns"),
    ("huge cell", "pos.csv", b"customer_name\n" + b"x" * 6000 + b"\n", "longer than 5000 characters"),
    ("too many rows", "pos.csv", b"customer_name\n" + b"x\n" * 5001, "more than 5000 rows"),
    ("no header", "pos.csv", b"\n , \n", "no header row"),
    ("xlsx too many rows", "pos.xlsx", xlsx_bytes(["customer_name"], [["x"]] * 5001), "more than 5000 rows"),
    ("xlsx too many columns", "pos.xlsx", xlsx_bytes([f"c{i}" for i in range(60)], []), "more than 50 columns"),
]  # fmt: skip
