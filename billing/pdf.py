"""Bill PDFs with WeasyPrint.

WeasyPrint lays out about 5-10 ms per table row and its memory grows with the document, so a
large bill is not rendered as one document. The cover page (identity, overview, summaries)
is one job, and the detail lines are cut into chunks of whole pages: every detail page holds
exactly `Geometry.rows_per_page` rows (fixed row height, a forced break every so many rows),
so the chunks join without half-empty pages. The jobs are rendered in parallel by a small pool
of renderer processes (`billing.pdf_worker`, one per core), then joined with pypdf; the
"page X of Y" labels are stamped afterwards from one small document that has the final page
count, so numbering is right across the whole file. Bills up to `BILL_PDF_SINGLE_MAX_LINES`
(1,000) lines are one document.

Renderer processes are plain subprocesses, not multiprocessing children: Celery's prefork
workers are daemonic and may not have multiprocessing children."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partner_center.money import cny

from .models import Bill, BillLine
from .periods import SHANGHAI, period_bounds
from .selectors import bill_product_summary, bill_reseller_summary
from .tax import TAX_RATE

log = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO; a render is logged once, by the export.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
ROOT = Path(__file__).resolve().parent.parent

Progress = Callable[[float], None]
# The cover page lists at most this many products and resellers (the biggest first; the
# rest are counted), so the cover stays one page.
COVER_PRODUCTS = 8
COVER_RESELLERS = 5


class RenderError(Exception):
    """Rendering failed; the message says why (shown to the user on the export task)."""


@dataclass(frozen=True)
class Geometry:
    """Page geometry shared by the CSS and the chunking, so both agree on rows per page."""

    margin_top: int = 20
    margin_bottom: int = 18
    margin_side: int = 13
    head_height: float = 7.5
    row_height: float = 6.0
    rows_per_page: int = 40  # the page has room for 41 such rows: the forced break acts first

    @property
    def content_height(self) -> float:
        return 297 - self.margin_top - self.margin_bottom


GEOMETRY = Geometry()
# Fits at most this many rows on a page, so the forced break is always the one that acts.
assert GEOMETRY.rows_per_page * GEOMETRY.row_height + GEOMETRY.head_height < (
    GEOMETRY.content_height - GEOMETRY.row_height
)


def chunk_rows() -> int:
    """Detail rows per chunk: whole pages only."""
    pages = int(getattr(settings, "BILL_PDF_PAGES_PER_CHUNK", 6))
    return max(1, pages) * GEOMETRY.rows_per_page


def renderer_count() -> int:
    configured = getattr(settings, "BILL_PDF_RENDERERS", None)
    return max(1, int(configured or os.cpu_count() or 1))


# ------------------------------------------------------------------ formatting


def _money(value: Decimal | None) -> str:
    return cny(value or Decimal("0"))


def _css_string(text: str) -> str:
    """A CSS string literal."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def page_label_css() -> str:
    """CSS `content` for "page X of Y" in the active language, from one translatable text."""
    text = _("Page {page} of {pages}")
    parts: list[str] = []
    rest = text
    while rest:
        positions = [(rest.find(token), token) for token in ("{page}", "{pages}") if token in rest]
        if not positions:
            parts.append(_css_string(rest))
            break
        index, token = min(positions)
        if index:
            parts.append(_css_string(rest[:index]))
        parts.append("counter(page)" if token == "{page}" else "counter(pages)")
        rest = rest[index + len(token) :]
    return " ".join(parts)


def _local(moment) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M")


def document_context(bill: Bill) -> dict:
    """Everything the PDF templates show besides the detail rows (a few grouped queries)."""
    partner = bill.partner
    start, end = period_bounds(bill.period)
    product_rows = bill_product_summary(bill)
    shown = product_rows[:COVER_PRODUCTS]
    products = [
        {
            "name": p["name"],
            "lines": p["lines"],
            "consumption": _money(p["consumption"]),
            "refunds": _money(p["refunds"]),
            "vouchers": _money(-p["vouchers"]),
            "due": _money(p["due"]),
        }
        for p in shown
    ]
    reseller_rows = bill_reseller_summary(bill)
    resellers = [
        {
            "name": r["name"] or _("Own customers"),
            "lines": r["lines"],
            "consumption": _money(r["consumption"]),
            "due": _money(r["due"]),
        }
        for r in reseller_rows[:COVER_RESELLERS]
    ]
    show_reseller = bool(resellers)
    net, tax = bill.amount_due - bill.tax_amount, bill.tax_amount
    title = _("Partner bill %(period)s · %(partner)s") % {
        "period": bill.period,
        "partner": partner.name,
    }
    return {
        "bill": bill,
        "partner": partner,
        "partner_types": "、".join(str(label) for label in partner.type_labels),
        "language": get_language(),
        "title": title,
        "geometry": GEOMETRY,
        "state_label": bill.get_state_display(),
        "period_start": start,
        "period_last": end - timedelta(days=1),
        "generated_at": _local(bill.generated_at),
        "settled_at": _local(bill.settled_at) if bill.settled_at else "",
        "printed_at": _local(timezone.now()),
        "tax_rate_percent": f"{(TAX_RATE * 100).normalize():f}",
        "overview": {
            "consumption": _money(bill.consumption_amount),
            "refunds": _money(-bill.refund_amount),
            "vouchers": _money(-bill.voucher_amount),
            "refunds_signed": _money(-bill.refund_amount),
            "vouchers_signed": _money(-bill.voucher_amount),
            "due": _money(bill.amount_due),
            "net": _money(net),
            "tax": _money(tax),
        },
        "products": products,
        "products_more": max(0, len(product_rows) - len(shown)),
        "resellers": resellers,
        "resellers_more": max(0, len(reseller_rows) - len(resellers)),
        "show_reseller": show_reseller,
        "css": {
            "running_title": _css_string(title),
            "bill_number": _css_string(bill.number),
            "footer_note": _css_string(
                _("Partner Center · amounts in CNY, VAT included · %(printed)s")
                % {"printed": _local(timezone.now())}
            ),
            "page_label": page_label_css(),
        },
    }


def iter_rows(bill: Bill) -> Iterator[dict]:
    """The bill's detail rows, formatted, in bill order; read in chunks from the database."""
    labels = dict(BillLine.Type.choices)
    refund_types = BillLine.REFUND_TYPES
    columns = (
        "occurred_at",
        "customer_name",
        "product_name",
        "order_no",
        "source_ref",
        "line_type",
        "reseller_name",
        "amount",
    )
    query = BillLine.objects.filter(bill=bill).order_by("occurred_at", "id").values_list(*columns)
    for (
        occurred_at,
        customer,
        product,
        order_no,
        source,
        line_type,
        reseller,
        amount,
    ) in query.iterator(chunk_size=2000):
        yield {
            "time": timezone.localtime(occurred_at, SHANGHAI).strftime("%m-%d %H:%M"),
            "customer": customer,
            "product": product,
            "order_no": order_no or source.partition(":")[2],
            "type": labels[line_type],
            "reseller": reseller,
            "amount": _money(amount),
            "refund": line_type in refund_types,
        }


def _paged(rows: list[dict]) -> list[dict]:
    """Classes of the rows: `p` starts a new detail page (a forced break every
    rows_per_page rows; a chunk holds whole pages, so its first row starts a page by
    itself), `z` stripes every other row, `x` marks refunds."""
    per_page = GEOMETRY.rows_per_page
    for offset, row in enumerate(rows):
        classes = []
        if offset and offset % per_page == 0:
            classes.append("p")
        if offset % 2:
            classes.append("z")
        if row.pop("refund"):
            classes.append("x")
        row["css"] = " ".join(classes)
    return rows


def chunk_html(context: dict, rows: list[dict], *, first: bool, last: bool, numbered: bool) -> str:
    return render_to_string(
        "billing/pdf/document.html",
        {**context, "rows": rows, "first": first, "last": last, "numbered": numbered},
    )


# ------------------------------------------------------------------ rendering


def _weasyprint_html():
    """WeasyPrint's HTML class. Importing WeasyPrint switches Pillow's process-wide
    LOAD_TRUNCATED_IMAGES on; put it back, so that other code in this process (the upload
    checks of certification files) still refuses truncated images."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return HTML


def single_document_max_lines() -> int:
    """Up to this many lines a bill is one document. Measured on 2 shared cores
    (`bench/pdf_threshold.py`, best of 2, seconds, one document / chunked): one export alone
    400 lines 4.1 / 5.3, 700 lines 11.8 / 10.4, 1,000 lines 13.3 / 13.1 (chunked 40 % faster
    at 1,001 on an idle machine); two exports at once 400 lines 7.8 / 6.7, 700 lines
    11.1 / 19.9, 1,000 lines 19.4 / 21.8. Chunks pay only while a core is free: alone they
    win from about 700 lines, but two exports at once (a 2-core worker with two export tasks)
    make them slower up to at least 1,000 lines. Hence 1,000."""
    return int(getattr(settings, "BILL_PDF_SINGLE_MAX_LINES", 1000))


def render_bill_pdf(bill: Bill, out_path: str | Path, *, progress: Progress | None = None) -> int:
    """Render `bill` to `out_path`; returns the page count. Uses the active language.

    Small bills (up to one chunk) render in this process; medium ones as one document in a
    renderer process (so this process does not keep WeasyPrint's memory); large ones in
    chunks, in parallel."""
    progress = progress or (lambda fraction: None)
    context = document_context(bill)
    per_chunk = chunk_rows()
    if bill.line_count > max(per_chunk, single_document_max_lines()):
        return _render_chunked(bill, context, Path(out_path), per_chunk, progress)
    html = chunk_html(context, _paged(list(iter_rows(bill))), first=True, last=True, numbered=True)
    if bill.line_count <= per_chunk:
        document = _weasyprint_html()(string=html, base_url=str(ROOT)).render()
        document.write_pdf(str(out_path))
        pages = len(document.pages)
    else:
        with tempfile.TemporaryDirectory(prefix="bill-pdf-") as tmp, RendererPool(1) as pool:
            _submit(pool, Path(tmp), 0, html)
            pages = dict(pool.wait_all())[0]
            Path(tmp, "part-00000.pdf").replace(out_path)
    progress(1.0)
    return pages


def _render_chunked(bill, context, out_path: Path, per_chunk: int, progress: Progress) -> int:
    """The cover is a job of its own (it is the only part set in two font weights, and each
    weight costs a renderer a copy of a CJK font); then the detail rows in whole pages."""
    chunks_total = -(-bill.line_count // per_chunk)
    jobs_total = chunks_total + 1
    with tempfile.TemporaryDirectory(prefix="bill-pdf-") as tmp:
        workdir = Path(tmp)
        pages: dict[int, int] = {}

        def collect(replies):
            for job_id, page_count in replies:
                pages[job_id] = page_count
            progress(0.9 * len(pages) / jobs_total)

        with RendererPool(min(renderer_count(), jobs_total)) as pool:
            _submit(
                pool, workdir, 0, chunk_html(context, [], first=True, last=False, numbered=False)
            )
            batch: list[dict] = []
            index = 1
            for row in iter_rows(bill):
                batch.append(row)
                if len(batch) == per_chunk:
                    _submit_rows(pool, workdir, context, batch, index, chunks_total)
                    collect(pool.ready())
                    index, batch = index + 1, []
            if batch:
                _submit_rows(pool, workdir, context, batch, index, chunks_total)
                index += 1
            collect(pool.wait_all())
            if len(pages) != index:
                raise RenderError(_("The renderer lost part of the bill."))
            total = sum(pages.values())
            stamp = render_to_string("billing/pdf/stamp.html", {**context, "pages": range(total)})
            _submit(pool, workdir, -1, stamp, name="stamp")
            if dict(pool.wait_all())[-1] != total:
                raise RenderError(_("Page numbering failed."))
        # The renderers have exited: joining does not add to their memory.
        _join(
            [workdir / f"part-{i:05d}.pdf" for i in range(index)],
            workdir / "stamp.pdf",
            out_path,
            title=context["title"],
        )
        progress(1.0)
        return total


def _submit(pool, workdir: Path, job_id: int, html: str, name: str | None = None) -> None:
    name = name or f"part-{job_id:05d}"
    path = workdir / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    pool.submit(job_id, path, workdir / f"{name}.pdf")


def _submit_rows(pool, workdir: Path, context, rows, index: int, chunks_total: int) -> None:
    html = chunk_html(
        context, _paged(rows), first=False, last=index == chunks_total, numbered=False
    )
    _submit(pool, workdir, index, html)


def _join(parts: list[Path], stamp: Path, out_path: Path, *, title: str) -> None:
    """Concatenate the chunk PDFs and stamp the page labels on every page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    labels = PdfReader(str(stamp))
    for page, label in zip(writer.pages, labels.pages, strict=True):
        page.merge_page(label)
        page.compress_content_streams()  # merging leaves the page's content uncompressed
    # Identical objects of different chunks (fonts with the same glyphs, images) once.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    writer.add_metadata(
        {"/Title": title, "/Creator": "Partner Center", "/Producer": "WeasyPrint + pypdf"}
    )
    with open(out_path, "wb") as fh:
        writer.write(fh)


def _rss_mb(pid: int) -> int:
    """Resident memory of a process in MB (Linux); 0 where /proc is not there."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for row in status:
                if row.startswith("VmRSS:"):
                    return int(row.split()[1]) // 1024
    except OSError:
        pass
    return 0


class RendererPool:
    """Renderer subprocesses (`billing.pdf_worker`), one job in flight each; jobs wait in a
    queue until a renderer is free. A renderer whose memory has grown past
    `BILL_PDF_RENDERER_MAX_MB` after a job is replaced by a fresh one, so memory stays
    bounded however long the bill."""

    def __init__(self, size: int):
        self.size = max(1, size)
        self.max_mb = int(getattr(settings, "BILL_PDF_RENDERER_MAX_MB", 150))
        self.procs: list[subprocess.Popen] = []
        self.idle: deque[subprocess.Popen] = deque()
        self.queue: deque[dict] = deque()
        self.busy: dict[int, int] = {}  # pid -> job id
        self.selector = selectors.DefaultSelector()

    def __enter__(self) -> RendererPool:
        for _n in range(self.size):
            self.idle.append(self._start())
        return self

    def _start(self) -> subprocess.Popen:
        proc = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "billing.pdf_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(ROOT),
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            text=True,
            bufsize=1,
        )
        self.procs.append(proc)
        self.selector.register(proc.stdout, selectors.EVENT_READ, proc)
        return proc

    def _retire(self, proc: subprocess.Popen) -> None:
        self.selector.unregister(proc.stdout)
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
        self.procs.remove(proc)

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                stream.close()
        self.selector.close()
        self.procs = []
        self.idle.clear()

    def submit(self, job_id: int, html: Path, pdf: Path) -> None:
        self.queue.append({"id": job_id, "html": str(html), "pdf": str(pdf)})
        self._dispatch()

    def _dispatch(self) -> None:
        while self.queue and self.idle:
            proc = self.idle.popleft()
            job = self.queue.popleft()
            self.busy[proc.pid] = job["id"]
            proc.stdin.write(json.dumps(job) + "\n")
            proc.stdin.flush()

    def _read(self, timeout: float | None) -> list[tuple[int, int]]:
        done = []
        for key, _events in self.selector.select(timeout):
            proc = key.data
            line = proc.stdout.readline()
            if not line:
                err = proc.stderr.read()[-2000:]
                log.error("bill renderer %s died: %s", proc.pid, err)
                raise RenderError(_("A renderer process stopped unexpectedly."))
            reply = json.loads(line)
            if "error" in reply:
                log.error("bill renderer failed on job %s: %s", reply["id"], reply["error"])
                raise RenderError(_("Rendering failed: %(error)s") % {"error": reply["error"]})
            self.busy.pop(proc.pid, None)
            if reply["id"] >= 0 and self.max_mb and _rss_mb(proc.pid) > self.max_mb:
                self._retire(proc)
                proc = self._start()
            self.idle.append(proc)
            done.append((reply["id"], reply["pages"]))
        self._dispatch()
        return done

    def ready(self) -> list[tuple[int, int]]:
        """Replies already there, without waiting, unless every renderer is busy and jobs
        are queued (then wait for one, so the queue of written chunks stays short)."""
        done = self._read(0)
        while len(self.queue) >= self.size:
            done += self._read(None)
        return done

    def wait_all(self) -> list[tuple[int, int]]:
        done = []
        while self.busy or self.queue:
            done += self._read(None)
        return done
