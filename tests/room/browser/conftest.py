"""Real-browser tests of the room: Playwright driving the system's Chromium (never a downloaded one).

One headless browser per module (`chromium` fixture); each test opens its own contexts (one per phone,
375x667, their own cookie jars) against a room server on 127.0.0.1 with port 0. Tests wait on the
page (Playwright's `expect`), never on fixed sleeps.
"""

from __future__ import annotations

import pytest

from tests.room.browser.support import find_chromium, skip_or_fail, unavailable_reason

PHONE = {"width": 375, "height": 667}


@pytest.fixture(scope="module")
def chromium():
    reason = unavailable_reason()
    if reason is not None:
        skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed  # read by `phones` before it closes the pages
    return report


@pytest.fixture
def phones(chromium, request):
    """Make phones: `phones()` is a new browser context at 375x667 (its own cookies), closed after the test.

    When the test failed, each phone's page is kept first (a screenshot and its HTML, in the artifacts
    folder under `failed-<test>`), so a failure seen once on a loaded machine can be read afterwards."""
    made = []

    def make():
        context = chromium.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
        context.set_default_timeout(10_000)
        made.append(context)
        return context.new_page()

    yield make
    if getattr(request.node, "browser_call_failed", False):
        _keep_pages(request.node.name, made)
    for context in made:
        context.close()


def _keep_pages(test_name: str, contexts) -> None:
    import re

    from tests.room.browser.support import artifacts_dir

    folder = artifacts_dir().parent / ("failed-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name))
    folder.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(page for context in contexts for page in context.pages):
        try:
            page.screenshot(path=str(folder / f"phone-{n}.png"), full_page=True)
            (folder / f"phone-{n}.html").write_text(f"<!-- {page.url} -->\n" + page.content(), encoding="utf-8")
        except Exception as exc:  # noqa: BLE001 - keeping evidence must not hide the test's own failure
            (folder / f"phone-{n}.txt").write_text(f"could not keep the page: {exc}", encoding="utf-8")
    print(f"the phones' pages at the failure: {folder}")  # shown with the failure (captured teardown output)
