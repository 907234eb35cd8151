"""The dashboard starts on 127.0.0.1 and renders in a real Chromium with the network off."""

import pytest

pytestmark = pytest.mark.browser


def test_dashboard_renders_its_title_map_and_table_offline(app_url, offline_page):
    page = offline_page.page
    page.goto(app_url)
    page.get_by_role("heading", name="Itinera").wait_for(timeout=120_000)
    assert "Itinera" in page.title()
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(".leaflet-container").wait_for(
        timeout=120_000
    )
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
    assert not page.locator('[data-testid="stException"]').count()  # never a traceback
