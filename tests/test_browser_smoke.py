"""The dashboard starts on 127.0.0.1 and renders in a real Chromium with the network off."""

import pytest

pytestmark = pytest.mark.browser


def test_dashboard_renders_its_title_offline(app_url, offline_page):
    page = offline_page.page
    page.goto(app_url)
    page.get_by_role("heading", name="Itinera").wait_for(timeout=60_000)
    assert "Itinera" in page.title()
