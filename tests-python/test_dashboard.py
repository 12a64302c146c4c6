"""Browser test of the embedded dashboard: headless Debian `chromium` driven by selenium.

Loads `/`, logs in with the admin key, sends a message through the API and waits for the live
feed (fed by the SSE stream through a stream token) to show it. A screenshot is saved under
`.build/artifacts/dashboard.png` for CI. Skipped when selenium or chromedriver is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import requests

from conftest import REPO_ROOT, wait_until

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402


def _driver():
    chromedriver = shutil.which("chromedriver")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromedriver or not chromium:
        pytest.skip("chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=chromedriver), options=options)


def test_dashboard_logs_in_and_shows_live_messages(server):
    headers = {"Authorization": f"Bearer {server.api_key}"}
    app = requests.post(f"{server.url}/api/v1/app", json={"name": "Dashboard"}, headers=headers, timeout=10).json()
    driver = _driver()
    try:
        driver.get(server.url + "/")
        driver.find_element(By.ID, "key").send_keys(server.api_key)
        driver.find_element(By.CSS_SELECTOR, "#login button").click()
        wait_until(lambda: driver.find_element(By.ID, "conn").text == "live", timeout=20, what="the live stream")
        wait_until(lambda: "due" in driver.find_element(By.ID, "statusGrid").text, timeout=20, what="status numbers")
        sent = requests.post(
            f"{server.url}/api/v1/app/{app['id']}/msg", json={"eventType": "order.paid", "payload": {"n": 1}}, headers=headers, timeout=10
        ).json()
        wait_until(lambda: sent["id"] in driver.find_element(By.ID, "feed").text, timeout=20, what="the message in the live feed")
        artifacts = REPO_ROOT / ".build" / "artifacts"
        artifacts.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(artifacts / "dashboard.png"))
    finally:
        driver.quit()
