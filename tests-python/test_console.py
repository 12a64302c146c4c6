"""Real-browser tests of the operator console and the tenant portal: headless Debian `chromium` driven by selenium.

Operator: signs in, finds a failed message by search, opens it, reads the failing attempt's response,
resends it to the (now answering) receiver and watches it turn succeeded without a reload.
Tenant: opens the portal link, adds an endpoint with the event-type picker, sends an example and sees it
delivered, rotates the secret, and cannot reach another tenant's data.
Screenshots of the main pages go to `.build/screenshots/` (a CI artifact). In CI (`HOOKLINE_REQUIRE_BROWSER=1`)
a missing browser fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest
import requests

from conftest import REPO_ROOT, wait_until

REQUIRED = os.environ.get("HOOKLINE_REQUIRE_BROWSER") == "1"
try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
except ImportError:  # pragma: no cover - the requirements install selenium
    if REQUIRED:
        raise
    pytest.skip("selenium is not installed", allow_module_level=True)

SCREENSHOTS = REPO_ROOT / ".build" / "screenshots"


@pytest.fixture
def browser():
    chromedriver = shutil.which("chromedriver")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromedriver or not chromium:
        if REQUIRED:
            pytest.fail("chromium and chromium-driver are required (HOOKLINE_REQUIRE_BROWSER=1)")
        pytest.skip("chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=chromedriver), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def text_of(driver, css: str) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, css))


def click(driver, by: str, value: str, what: str) -> None:
    """Clicks the element once it is found and still attached: a live update may re-render the list it is in
    between finding and clicking (a stale element), so the click is retried on a fresh lookup."""
    wait_until(lambda: driver.find_element(by, value).click() or True, timeout=10, what=what)


def secret_shown(driver) -> str:
    """The revealed signing secret on an endpoint page, or "" while it is masked."""
    text = driver.find_element(By.ID, "secret").text
    return text if text.startswith("whsec_") else ""


def confirm(driver) -> None:
    click(driver, By.CSS_SELECTOR, "dialog[open] #confirmYes", what="the confirmation dialog")


def api(server, method: str, path: str, **kwargs):
    headers = {"Authorization": f"Bearer {server.api_key}"}
    return requests.request(method, server.url + path, headers=headers, timeout=10, **kwargs)


def test_operator_finds_a_failed_message_and_resends_it_live(server, receiver, browser):
    app = api(server, "POST", "/api/v1/app", json={"name": "Shop", "uid": "shop"}).json()
    endpoint = api(server, "POST", f"/api/v1/app/{app['id']}/endpoint", json={"url": receiver.url + "/hook", "description": "Shop receiver"}).json()
    api(server, "POST", f"/api/v1/app/{app['id']}/msg", json={"eventType": "order.paid", "payload": {"order": 41}})
    receiver.wait_for(1)
    receiver.fail_first(4)  # the first attempt and all three retries fail: the message ends failed
    sent = api(server, "POST", f"/api/v1/app/{app['id']}/msg", json={"eventType": "order.failed", "payload": {"order": 42}}).json()
    receiver.wait_for(5)
    wait_until(lambda: [m["id"] for m in api(server, "GET", f"/api/v1/app/{app['id']}/msg?status=2").json()["data"]] == [sent["id"]],
               timeout=20, what="the message to end failed")

    browser.get(server.url + "/")
    browser.find_element(By.ID, "key").send_keys(server.api_key)
    browser.find_element(By.CSS_SELECTOR, "#login button[type=submit]").click()
    wait_until(lambda: browser.find_element(By.ID, "conn").text == "live", timeout=20, what="the live stream")
    wait_until(lambda: "Queue due" in browser.find_element(By.ID, "statusGrid").text, timeout=20, what="the overview")
    wait_until(lambda: len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4, timeout=20, what="the charts")
    shot(browser, "console-overview")

    click(browser, By.LINK_TEXT, "Messages", what="a link to click")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "form[role=search]"), timeout=10, what="the search form")
    form = browser.find_element(By.CSS_SELECTOR, "form[role=search]")
    form.find_element(By.CSS_SELECTOR, "select[name=status] option[value='2']").click()
    form.find_element(By.NAME, "eventType").send_keys("order.failed")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: sent["id"] in text_of(browser, "#results"), timeout=10, what="the failed message in the results")
    assert "status=2" in browser.current_url, "the search is addressable by URL"
    click(browser, By.LINK_TEXT, sent["id"], what="a link to click")

    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, f"[data-endpoint='{endpoint['id']}'] .attempt"), timeout=10, what="the attempts")
    section = browser.find_element(By.CSS_SELECTOR, f"[data-endpoint='{endpoint['id']}']")
    assert "Shop receiver" in section.text and '"order": 42' in browser.find_element(By.ID, "payload").text
    assert section.find_elements(By.CSS_SELECTOR, "[data-status=failed]") and "HTTP 500" in section.text
    assert "fail" in section.find_element(By.CSS_SELECTOR, "pre.response").text, "the failing attempt's response body"
    assert not section.find_elements(By.CSS_SELECTOR, "[data-status=succeeded]")
    deep_link = browser.current_url
    shot(browser, "console-message")

    browser.execute_script("window.__sameDocument = true")
    section.find_element(By.CSS_SELECTOR, "button.resend").click()
    confirm(browser)
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, f"[data-endpoint='{endpoint['id']}'] [data-status=succeeded]"),
               timeout=20, what="the resent delivery to show succeeded")
    assert browser.execute_script("return window.__sameDocument") is True, "updated without a reload"
    assert browser.find_element(By.ID, "conn").text == "live", "by the event stream (the resend itself does not re-render)"
    assert receiver.receipts[-1].status == 200 and receiver.receipts[-1].headers["webhook-id"] == sent["id"]

    click(browser, By.XPATH, "//button[text()='Expunge content']", what="the Expunge button")  # the page re-renders on live events
    confirm(browser)
    wait_until(lambda: '"order"' not in browser.find_element(By.ID, "payload").text, timeout=10, what="the payload expunged")
    assert api(server, "GET", f"/api/v1/app/{app['id']}/msg/{sent['id']}").json()["payload"] == {}

    browser.get(deep_link)  # a deep link opens the same page directly
    browser.refresh()
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, f"[data-endpoint='{endpoint['id']}'] [data-status=succeeded]"), timeout=20, what="the deep link")
    click(browser, By.LINK_TEXT, "Shop receiver", what="a link to click")
    wait_until(lambda: "succeeded" in text_of(browser, "#epStats"), timeout=10, what="the endpoint page")
    shot(browser, "console-endpoint")

    # Recover since a time: the background task's progress is shown until it finishes.
    click(browser, By.XPATH, "//button[text()='Recover']", what="the Recover button")  # the page re-renders on live events
    confirm(browser)
    wait_until(lambda: "Recovery finished" in browser.find_element(By.ID, "taskProgress").text, timeout=20, what="the recovery's progress")

    # Editing: a rejected payload filter shows its error next to the field; a valid one is saved.
    settings = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Edit endpoint']")
    settings.find_element(By.NAME, "payloadFilter").send_keys('{"path": "order", "bogus": 1}')
    settings.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "textarea[name=payloadFilter][aria-invalid=true]"), timeout=10, what="the error in place")
    label = browser.find_element(By.XPATH, "//textarea[@name='payloadFilter']/..")
    assert "payloadFilter" in label.find_element(By.CSS_SELECTOR, ".field-error").text
    assert api(server, "GET", f"/api/v1/app/{app['id']}/endpoint/{endpoint['id']}").json().get("payloadFilter") is None
    area = browser.find_element(By.NAME, "payloadFilter")
    area.clear()
    area.send_keys('{"path": "order", "gt": 40}')
    browser.find_element(By.CSS_SELECTOR, "form[aria-label='Edit endpoint'] button[type=submit]").click()
    wait_until(lambda: api(server, "GET", f"/api/v1/app/{app['id']}/endpoint/{endpoint['id']}").json().get("payloadFilter"), timeout=10,
               what="the filter saved")


def test_operator_sees_why_an_attempt_got_no_response(server, browser):
    """An attempt that got no HTTP response (nothing listens at the endpoint's port) shows its reason on the
    endpoint page and the message page, as the CLI's REASON column does."""
    app = api(server, "POST", "/api/v1/app", json={"name": "Closed", "uid": "closed"}).json()
    endpoint = api(server, "POST", f"/api/v1/app/{app['id']}/endpoint", json={"url": "http://127.0.0.1:9/hook"}).json()
    sent = api(server, "POST", f"/api/v1/app/{app['id']}/msg", json={"eventType": "order.paid", "payload": {"order": 43}}).json()
    attempts = lambda: api(server, "GET", f"/api/v1/app/{app['id']}/attempt/msg/{sent['id']}").json()["data"]
    wait_until(lambda: attempts(), timeout=20, what="an attempt")
    attempt = attempts()[-1]
    reason = attempt["response"].splitlines()[0]
    assert attempt["responseStatusCode"] == 0 and reason, attempt

    browser.get(server.url + f"/#/apps/{app['id']}/endpoints/{endpoint['id']}")
    browser.find_element(By.ID, "key").send_keys(server.api_key)
    browser.find_element(By.CSS_SELECTOR, "#login button[type=submit]").click()
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "td.reason"), timeout=20, what="the attempts table")
    assert "Reason" in text_of(browser, "table th")
    assert reason[:79] in text_of(browser, "td.reason"), "the attempt's reason on the endpoint page"
    shot(browser, "console-endpoint-reason")

    browser.get(server.url + f"/#/apps/{app['id']}/messages/{sent['id']}")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, f"[data-endpoint='{endpoint['id']}'] .attempt"), timeout=20, what="the attempts")
    # A retry's live update re-renders the section (a stale element): each check reads it afresh.
    def reason_shown():
        section = browser.find_element(By.CSS_SELECTOR, f"[data-endpoint='{endpoint['id']}']")
        return "Reason (no HTTP response)" in section.text and reason in section.find_element(By.CSS_SELECTOR, "pre.response").text

    wait_until(reason_shown, timeout=20, what="the attempt's reason on the message page")


def test_operator_creates_a_source_and_watches_its_requests(server, browser):
    app = api(server, "POST", "/api/v1/app", json={"name": "Inbound", "uid": "inbound"}).json()
    browser.get(server.url + "/#/sources")
    browser.find_element(By.ID, "key").send_keys(server.api_key)
    browser.find_element(By.CSS_SELECTOR, "#login button[type=submit]").click()
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "form[aria-label='New source']"), timeout=20, what="the sources page")
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='New source']")
    form.find_element(By.NAME, "name").send_keys("GitHub")
    form.find_element(By.CSS_SELECTOR, "textarea[name=extra]").send_keys("{not json")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: "Not valid JSON" in text_of(browser, ".field-error"), timeout=10, what="the JSON error in place")
    extra = form.find_element(By.CSS_SELECTOR, "textarea[name=extra]")
    extra.clear()
    extra.send_keys('{"ackStatus": 202}')
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: "Ingest URL" in browser.find_element(By.TAG_NAME, "main").text, timeout=10, what="the new source's page")
    source = api(server, "GET", "/api/v1/source").json()["data"][0]
    assert source["name"] == "GitHub" and source["appId"] == app["id"] and source["ackStatus"] == 202
    wait_until(lambda: browser.find_element(By.ID, "conn").text == "live", timeout=20, what="the live stream")
    ack = requests.post(server.url + source["ingestPath"], json={"action": "opened"}, timeout=10)
    assert ack.status_code == 202
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "main table a.mono"), timeout=20, what="the routed request on the page")
    shot(browser, "console-source")


def test_tenant_portal_adds_an_endpoint_sends_an_example_and_stays_in_its_application(server, receiver, browser):
    example = {"invoice": "in_1", "amount": 500}
    api(server, "POST", "/api/v1/event-type", json={"name": "invoice.paid", "description": "An invoice was paid",
                                                  "schemas": {"1": {"type": "object", "examples": [example]}}})
    api(server, "POST", "/api/v1/event-type", json={"name": "invoice.voided", "description": "An invoice was voided"})
    other = api(server, "POST", "/api/v1/app", json={"name": "Other tenant", "uid": "tenant-b"}).json()
    other_endpoint = api(server, "POST", f"/api/v1/app/{other['id']}/endpoint", json={"url": receiver.url + "/other"}).json()
    other_message = api(server, "POST", f"/api/v1/app/{other['id']}/msg", json={"eventType": "invoice.paid", "payload": {"secret": "b"}}).json()
    access = api(server, "POST", "/api/v1/auth/app-portal-access/tenant-a", json={"application": {"name": "Tenant A"}})
    assert access.status_code == 200
    link = access.json()["url"]
    receiver.wait_for(1)

    browser.get(link + "&theme=dark")
    wait_until(lambda: browser.find_elements(By.ID, "addEndpoint"), timeout=20, what="the portal")
    background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 21, 27)", f"theme=dark gives the dark palette, got {background}"
    assert "#token=" not in browser.current_url, "the token leaves the address bar"
    assert server.api_key not in browser.page_source
    assert "Tenant A" in browser.find_element(By.ID, "brand").text
    form = browser.find_element(By.CSS_SELECTOR, "#addEndpoint form")
    form.find_element(By.NAME, "url").send_keys(receiver.url + "/tenant-a")
    form.find_element(By.NAME, "description").send_keys("Tenant A receiver")
    form.find_element(By.CSS_SELECTOR, "input[name=eventType][value='invoice.paid']").click()
    form.find_element(By.CSS_SELECTOR, "details summary").click()
    assert '"amount": 500' in form.find_element(By.CSS_SELECTOR, "pre.example").text, "the picker shows the type's example"
    shot(browser, "portal-endpoints")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: browser.find_elements(By.ID, "sendExample"), timeout=10, what="the new endpoint's page")
    endpoints = api(server, "GET", "/api/v1/app/tenant-a/endpoint").json()["data"]
    assert [e["eventTypes"] for e in endpoints] == [["invoice.paid"]], "the picker's choice was saved"

    before = len(receiver.receipts)
    browser.find_element(By.ID, "sendExample").click()
    receiver.wait_for(before + 1)
    assert receiver.receipts[-1].path == "/tenant-a"
    assert receiver.receipts[-1].json() == example, "the example from the event type's schema, as a signed delivery"
    assert receiver.receipts[-1].headers["webhook-signature"].startswith("v1,")
    click(browser, By.LINK_TEXT, "Messages", what="a link to click")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "main table a.mono"), timeout=20, what="the example in the messages list")
    click(browser, By.CSS_SELECTOR, "main table a.mono", what="the first message link")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "[data-status=succeeded]"), timeout=20, what="the example delivered")
    shot(browser, "portal-message")

    click(browser, By.LINK_TEXT, "Tenant A receiver", what="a link to click")
    # The endpoint page re-renders on live events (the example's attempt), so every lookup here tolerates a
    # stale element by looking again.
    click(browser, By.XPATH, "//button[text()='Reveal secret']", what="the endpoint page's reveal button")
    old_secret = wait_until(lambda: secret_shown(browser), timeout=10, what="the secret")
    click(browser, By.XPATH, "//button[text()='Rotate secret']", what="the rotate button")
    confirm(browser)
    new_secret = wait_until(lambda: (s := secret_shown(browser)) != old_secret and s, timeout=10, what="the rotated secret")
    endpoint_id = endpoints[0]["id"]
    assert api(server, "GET", f"/api/v1/app/tenant-a/endpoint/{endpoint_id}/secret").json()["key"] == new_secret
    shot(browser, "portal-endpoint")

    # Another tenant's data is out of reach, through the UI and through the API calls it makes.
    browser.get(link.split("#")[0] + f"#/endpoints/{other_endpoint['id']}")
    wait_until(lambda: "Could not load" in browser.find_element(By.TAG_NAME, "main").text, timeout=10, what="the refusal")
    statuses = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const token = sessionStorage.getItem("hooklinePortalToken");
        const paths = arguments[0];
        Promise.all(paths.map((p) => fetch(p, { headers: { Authorization: "Bearer " + token } }).then((r) => r.status))).then(done);
        """,
        [f"/api/v1/app/{other['id']}/endpoint", f"/api/v1/app/tenant-b/msg/{other_message['id']}", "/api/v1/app", "/api/v1/status",
         f"/api/v1/app/{other['id']}/stream"],
    )
    assert statuses == [403, 403, 403, 403, 403]
    assert other_message["id"] not in browser.page_source and other_endpoint["url"] not in browser.page_source


@pytest.fixture
def example_site():
    """`examples/` served on its own origin (another port), as a customer's product would be."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(REPO_ROOT / "examples"))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_example_page_embeds_the_portal_from_another_origin(hookline_bin, tmp_path, example_site, browser):
    import subprocess
    from urllib.parse import quote

    from conftest import API_KEY, STARTUP_DEADLINE_S, HooklineProcess, _stop

    proc = subprocess.Popen(
        [str(hookline_bin), "serve", "--port", "0", "--data-dir", str(tmp_path / "data"), "--api-key", API_KEY,
         "--log-level", "warning", "--portal-frame-ancestor", example_site],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=str(tmp_path))
    hookline = HooklineProcess(proc, API_KEY)
    try:
        url = hookline.wait_for_listening_url(STARTUP_DEADLINE_S)
        headers = {"Authorization": f"Bearer {API_KEY}"}
        access = requests.post(f"{url}/api/v1/auth/app-portal-access/acme-customer", headers=headers, timeout=10,
                               json={"application": {"name": "Acme customer"}, "readOnly": True})
        assert access.status_code == 200
        browser.get(f"{example_site}/portal-embed.html#{quote(access.json()['url'], safe='')}")
        browser.switch_to.frame(browser.find_element(By.ID, "webhooks"))
        wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#view h1"), timeout=20, what="the portal inside the iframe")
        assert browser.find_element(By.ID, "brand").text == "Acme webhooks"
        assert browser.find_element(By.ID, "mode").is_displayed(), "a read-only token shows read-only mode"
        assert not browser.find_elements(By.ID, "addEndpoint"), "and offers no way to add endpoints"
        accent = browser.execute_script("return getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
        assert accent == "#0b7285"
        browser.switch_to.default_content()
        shot(browser, "portal-embedded")
    finally:
        _stop(proc)
        hookline.wait_eof(5)
