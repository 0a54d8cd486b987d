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


@pytest.fixture
def phones(chromium):
    """Make phones: `phones()` is a new browser context at 375x667 (its own cookies), closed after the test."""
    made = []

    def make():
        context = chromium.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
        context.set_default_timeout(10_000)
        made.append(context)
        return context.new_page()

    yield make
    for context in made:
        context.close()
