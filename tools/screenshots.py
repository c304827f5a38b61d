"""Screenshots of portal pages in headless Chromium, for looking at what we build.

Usage: .venv/bin/python tools/screenshots.py BASE_URL OUTDIR LOGIN PATH [PATH ...]
  LOGIN: e-mail of a demo account (password Demo@2026), or "-" for anonymous.
  Each path is shot in zh-CN and en, desktop and phone width: OUTDIR/<name>-<lang>-<width>.png"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(base: str, outdir: str, login: str, paths: list[str]) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for locale, lang in (("zh-CN", "zh"), ("en-US", "en")):
            for width, height in ((1366, 900), (390, 844)):
                context = browser.new_context(
                    base_url=base, locale=locale, viewport={"width": width, "height": height}
                )
                page = context.new_page()
                if login != "-":
                    page.goto("/login/")
                    page.fill("input[name=username]", login)
                    page.fill("input[name=password]", "Demo@2026")
                    page.click("[data-testid=login-submit]")
                    page.wait_for_load_state()
                for path in paths:
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                    target = out / f"{name}-{lang}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
