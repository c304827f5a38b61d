"""The page benchmark (bench/pages.py, issue [9]) measures every page: each URL name of the
URLconf is a menu entry, one of its extra pages, or named in NOT_PAGES with the reason."""

from bench import pages

META = {"reseller": 1, "deal": 1, "lead": 1, "big": 1}


def test_every_page_is_measured_or_said_not_to_be_a_page():
    measured = [url for _role, _label, url in pages.extra_pages(META)]
    assert pages.uncovered(measured) == [], (
        "a page the benchmark does not measure: add it to its module's menu or to "
        "bench/pages.py extra_pages(); an action or a download goes to NOT_PAGES"
    )


def test_not_pages_names_only_existing_urls():
    assert set(pages.NOT_PAGES) - pages.url_names() == set()


def test_the_pipeline_pages_are_measured():
    urls = [url for _role, _label, url in pages.extra_pages(META)]
    for expected in (
        "/opportunities/?mine=on",
        "/opportunities/1/",
        "/opportunities/review/?view=all",
        "/opportunities/pool/1/",
        "/opportunities/assessment/partners/1/",
        "/opportunities/export.csv",
        "/todo/",
    ):
        assert expected in urls
    assert any(url.startswith("/search/?q=") for url in urls)
