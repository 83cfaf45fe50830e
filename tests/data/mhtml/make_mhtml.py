"""Make the browser-saved page in this folder: ``python tests/data/mhtml/make_mhtml.py``.

``zhapu-2023.chrome.mhtml`` is the reference report (``tests/data/zhapu-2023.txt``) written
as HTML by ``opengov.render(report, to="html")`` and saved by headless Chromium as one file
(what "Save as… Webpage, Single File" writes: the DevTools command ``Page.captureSnapshot``
with ``format: mhtml``), through chromedriver (``selenium``).

Needs ``chromium``, ``chromedriver`` and ``selenium``; the file is committed, so the tests
need none of them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

import opengov  # noqa: E402


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if browser is None or driver_path is None:
        raise SystemExit("chromium and chromedriver must be on PATH")
    report = opengov.read(HERE.parent / "zhapu-2023.txt").report
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "zhapu-2023.html"
            page.write_text(opengov.render(report, to="html"), encoding="utf-8")
            driver.get(page.as_uri())
            snapshot = driver.execute_cdp_cmd("Page.captureSnapshot", {"format": "mhtml"})["data"]
    finally:
        driver.quit()
    out = HERE / "zhapu-2023.chrome.mhtml"
    out.write_bytes(snapshot.encode("utf-8"))
    print(f"wrote {out.name}")


if __name__ == "__main__":
    main()
