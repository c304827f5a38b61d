"""Where should a bill PDF stop being one document? (`BILL_PDF_SINGLE_MAX_LINES`)

For each size, the same bill is exported by `billing.pdf.render_bill_pdf` in a fresh
process with the single-document path forced and with the chunked path forced, one export
alone and two exports at once (a 2-core worker running two export tasks). Prints wall times
(for two at once: the slower of the pair) and which path wins.

Usage: .venv/bin/python bench/pdf_threshold.py [lines ...]   (default 300 600 1000)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_BILLING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pc_bench_pdf"
)
from common import PY, django_setup, fresh_database  # noqa: E402

PATHS = {"single": 10**9, "chunked": 0}


def child(bill_id: str, max_lines: str, pdf_path: str) -> None:
    django_setup()
    from django.conf import settings
    from django.utils import translation

    from billing.models import Bill
    from billing.pdf import render_bill_pdf

    settings.BILL_PDF_SINGLE_MAX_LINES = int(max_lines)
    bill = Bill.objects.select_related("partner").get(pk=int(bill_id))
    start = time.perf_counter()
    with translation.override("zh-hans"):
        render_bill_pdf(bill, pdf_path)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def run(bill_id: int, path: str, at_once: int, tmp: str) -> float:
    procs = [
        subprocess.Popen(  # noqa: S603
            [PY, __file__, "--child", str(bill_id), str(PATHS[path]), f"{tmp}/{path}-{i}.pdf"],
            stdout=subprocess.PIPE,
        )
        for i in range(at_once)
    ]
    times = []
    for proc in procs:
        out, _ = proc.communicate()
        times.append(json.loads(out.decode().strip().splitlines()[-1])["seconds"])
    return max(times)


def main(sizes: list[int]) -> None:
    django_setup()
    fresh_database()
    from billing.demo import synthetic_lines
    from billing.services import bill_store_lines
    from tests.factories import PartnerFactory

    partner = PartnerFactory()
    print(f"cores: {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; seconds, best of 2")
    print("| lines | at once | single document | chunked | faster |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-pdf-threshold-") as tmp:
        for n, size in enumerate(sizes):
            period = f"2026-{n + 1:02d}"
            bill = bill_store_lines(
                partner=partner, period=period, lines=synthetic_lines(size, period, seed=size)
            )
            for at_once in (1, 2):
                best = {}
                for _ in range(2):  # alternate, keep each path's best (load only slows down)
                    for path in PATHS:
                        t = run(bill.pk, path, at_once, tmp)
                        best[path] = min(best.get(path, t), t)
                faster = min(best, key=best.get)
                print(
                    f"| {size:,} | {at_once} | {best['single']:.1f} | {best['chunked']:.1f} "
                    f"| {faster} |",
                    flush=True,
                )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
    else:
        main([int(a) for a in sys.argv[1:]] or [300, 600, 1000])
