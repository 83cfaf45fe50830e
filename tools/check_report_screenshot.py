"""Make docs/check-report.png, the README's picture of a check report: ``python tools/check_report_screenshot.py``.

The reference report with one table 3 cell changed (（一）予以公开 / 自然人 19 → 40), its findings
drawn by ``opengov.render_to(..., findings=...)`` and photographed by headless Chromium
(selenium; Debian: ``apt-get install chromium chromium-driver fonts-noto-cjk`` — without a CJK
font the labels show as boxes).  Only table 3 and the list of findings are kept in the picture.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import opengov

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from selenium import webdriver
    from selenium.webdriver.common.by import By

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        print("needs chromium and chromedriver on PATH", file=sys.stderr)
        return 2
    result = opengov.read(ROOT / "examples" / "zhapu-2023.txt")
    report = result.report.with_cell("table3", "granted", "natural_person", 40)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "check.html"
            opengov.render_to(report, page, findings=opengov.check(report), diagnostics=result.diagnostics)
            driver.set_window_size(1100, 3000)
            driver.get(page.as_uri())
            # keep table 3 and the findings: hide the rest of the page
            driver.execute_script(
                """
                const keep = new Set([document.querySelector('table[data-table="table3"]'),
                                      document.querySelector('.og-findings')]);
                for (const el of document.body.querySelectorAll('body > *, section > *')) {
                  if (![...keep].some(k => k && (el === k || el.contains(k) || k.contains(el)))) {
                    el.style.display = 'none';
                  }
                }
                """
            )
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(1100, int(height) + 20)
            target = ROOT / "docs" / "check-report.png"
            driver.find_element(By.TAG_NAME, "body").screenshot(str(target))
            from PIL import Image  # a 64-colour palette: a quarter of the bytes, the same picture

            Image.open(target).convert("RGB").quantize(colors=64).save(target, optimize=True)
            print(f"wrote {target}")
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
