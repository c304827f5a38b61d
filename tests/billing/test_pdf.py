"""The bill PDF: real CJK glyphs, page labels, repeated header, totals once; chunked
rendering gives the same document as one render."""

import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from billing.models import BillLine
from billing.pdf import GEOMETRY, chunk_rows, page_label_css, render_bill_pdf
from tests.billing.factories import make_bill

pytestmark = pytest.mark.django_db


def embedded_fonts(path) -> set[str]:
    names = set()
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def page_texts(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def numbers_in(text: str) -> list[str]:
    return re.findall(r"(?:CS|UR)\d+-\d{13}", text)


def render(bill, tmp_path, language="zh-hans", name="bill.pdf", **kwargs):
    path = tmp_path / name
    with translation.override(language):
        pages = render_bill_pdf(bill, path, **kwargs)
    return path, pages


def test_chinese_text_uses_embedded_noto_cjk_fonts(partner, tmp_path):
    bill = make_bill(partner, lines=12)
    path, _pages = render(bill, tmp_path)
    fonts = embedded_fonts(path)
    assert any("NotoSansCJK" in name.replace("-", "") for name in fonts), fonts
    text = "".join(page_texts(path))
    assert "华云数智科技有限公司" in text
    assert "伙伴账单" in text


def test_small_bill_has_a_cover_and_numbered_pages(partner, tmp_path):
    bill = make_bill(partner, lines=45)
    path, pages = render(bill, tmp_path)
    texts = page_texts(path)
    assert pages == len(texts) == 1 + 2  # cover, 40 rows, 5 rows and the totals
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} 页，共 {pages} 页" in text
    assert "¥" in texts[0] and bill.number in texts[0]


def test_english_labels(partner, tmp_path):
    bill = make_bill(partner, lines=3)
    path, pages = render(bill, tmp_path, language="en")
    texts = page_texts(path)
    assert "Partner bill" in texts[0]
    assert f"Page {pages} of {pages}" in texts[-1]


def test_page_label_css_from_the_translation():
    with translation.override("en"):
        assert page_label_css() == '"Page " counter(page) " of " counter(pages)'
    with translation.override("zh-hans"):
        assert page_label_css() == '"第 " counter(page) " 页，共 " counter(pages) " 页"'


@pytest.fixture
def tiny_chunks(settings):
    """One page of rows per chunk, two renderer processes, chunks from the first page on."""
    settings.BILL_PDF_PAGES_PER_CHUNK = 1
    settings.BILL_PDF_RENDERERS = 2
    settings.BILL_PDF_SINGLE_MAX_LINES = 0
    return GEOMETRY.rows_per_page


def test_chunked_render_numbers_pages_across_the_whole_document(partner, tmp_path, tiny_chunks):
    per_page = tiny_chunks
    bill = make_bill(partner, lines=3 * per_page + 10)
    assert bill.line_count > chunk_rows()
    seen = []
    path, pages = render(bill, tmp_path, progress=seen.append)
    texts = page_texts(path)
    assert pages == len(texts) == 1 + 4
    for number, text in enumerate(texts, start=1):
        assert text.count(f"第 {number} 页，共 {pages} 页") == 1, number
    # every detail page repeats the table header and holds whole pages of rows
    for text in texts[1:]:
        assert "订单/记录编号" in text or "Order / record no." in text
    rows = [numbers_in(text) for text in texts[1:]]
    assert [len(r) for r in rows] == [per_page, per_page, per_page, 10]
    expected = [
        ref.partition(":")[2]
        for ref in BillLine.objects.filter(bill=bill)
        .order_by("occurred_at", "id")
        .values_list("source_ref", flat=True)
    ]
    assert [n for page in rows for n in page] == expected
    # the totals print once, at the end
    assert sum("账单结束" in t for t in texts) == 1 and "账单结束" in texts[-1]
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_chunked_and_single_renders_paginate_alike(partner, tmp_path, settings):
    bill = make_bill(partner, lines=2 * GEOMETRY.rows_per_page + 5)
    single_path, single_pages = render(bill, tmp_path, name="single.pdf")
    settings.BILL_PDF_PAGES_PER_CHUNK = 1
    settings.BILL_PDF_RENDERERS = 2
    settings.BILL_PDF_SINGLE_MAX_LINES = 0
    chunked_path, chunked_pages = render(bill, tmp_path, name="chunked.pdf")
    assert single_pages == chunked_pages
    single, chunked = page_texts(single_path), page_texts(chunked_path)
    assert [numbers_in(t) for t in single] == [numbers_in(t) for t in chunked]


def test_distributor_pdf_names_the_resellers(distributor, resellers, tmp_path):
    bill = make_bill(distributor, lines=30, resellers=resellers)
    path, _pages = render(bill, tmp_path)
    text = "".join(page_texts(path))
    assert "按云经销商汇总" in text
    assert "启航云服" in text


def test_renderers_that_grew_are_replaced_and_the_document_is_unchanged(
    partner, tmp_path, tiny_chunks, settings, monkeypatch
):
    from billing import pdf

    settings.BILL_PDF_RENDERER_MAX_MB = 1  # every renderer is "too big" after a job
    started = []
    original = pdf.RendererPool._start

    def counting(self):
        proc = original(self)
        started.append(proc.pid)
        return proc

    monkeypatch.setattr(pdf.RendererPool, "_start", counting)
    bill = make_bill(partner, lines=3 * tiny_chunks + 1)
    path, pages = render(bill, tmp_path)
    assert pages == 1 + 4
    assert len(started) == 2 + 5  # two at the start, one after the cover and each of 4 chunks
    texts = page_texts(path)
    assert sum(len(numbers_in(t)) for t in texts) == bill.line_count


def test_rendering_leaves_pillows_truncated_image_check_alone(partner, tmp_path):
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    render(make_bill(partner, lines=2), tmp_path)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_medium_bill_is_one_document_from_a_renderer_process(
    partner, tmp_path, settings, monkeypatch
):
    from billing import pdf

    settings.BILL_PDF_PAGES_PER_CHUNK = 1  # 40 lines render here, more in a renderer
    started = []
    original = pdf.RendererPool._start
    monkeypatch.setattr(
        pdf.RendererPool, "_start", lambda self: started.append(1) or original(self)
    )
    bill = make_bill(partner, lines=GEOMETRY.rows_per_page + 5)
    path, pages = render(bill, tmp_path)
    assert len(started) == 1
    texts = page_texts(path)
    assert pages == len(texts) == 1 + 2
    assert "第 3 页，共 3 页" in texts[-1]


def test_the_cover_stays_one_page_with_many_products_and_resellers(distributor, tmp_path):
    from partner_center.accounts.permissions import PartnerType
    from tests.billing.factories import line
    from tests.factories import PartnerFactory

    resellers = [
        PartnerFactory(
            name=f"第{n}云经销科技有限公司",
            types=[PartnerType.RESELLER],
            parent_distributor=distributor,
        )
        for n in range(9)
    ]
    lines = [
        line(
            "10.00",
            product=(f"p{n % 15:02d}", f"云产品{n % 15:02d} 专属集群版"),
            reseller=resellers[n % 9],
        )
        for n in range(45)
    ]
    bill = make_bill(distributor, lines=lines)
    path, pages = render(bill, tmp_path)
    texts = page_texts(path)
    assert pages == len(texts) == 1 + 2
    assert "订单/记录编号" not in texts[0]
    assert "订单/记录编号" in texts[1]
    assert "另有 7 种产品" in texts[0] and "另有 4 家云经销商" in texts[0]
