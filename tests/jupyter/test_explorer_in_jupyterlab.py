"""The scenario explorer in the real JupyterLab page, in headless Chromium: Run All, then each
widget changed in turn, and the table seen to change with it (screenshots in the test's
tmp_path)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.jupyter, pytest.mark.browser, pytest.mark.slow]

LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


@pytest.fixture
def lab_page(lab_server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.blocked = []

    def route(route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            page.blocked.append(url)
            route.abort()

    page.route("**/*", route)
    page.goto(f"{lab_server.url}/lab/tree/notebooks/utforska.ipynb?token={lab_server.token}")
    try:
        yield page
    finally:
        context.close()


def scenario_text(page) -> str:
    return page.locator(".widget-vbox").first.inner_text().replace("\xa0", " ")


def change_and_wait(page, change, expected: str, shot) -> str:
    """Make one change; wait until the explorer's output shows ``expected``; the new text."""
    before = scenario_text(page)
    change()
    page.wait_for_function(
        "([expected, before]) => { const box = document.querySelector('.widget-vbox');"
        " return box && box.innerText.includes(expected) && box.innerText !== before; }",
        arg=[expected, before],
        timeout=120_000,
    )
    page.locator(".widget-vbox").first.screenshot(path=shot)
    return scenario_text(page)


def test_run_all_then_every_widget_changes_the_table(lab_page, lab_server, tmp_path):
    page = lab_page
    # The notebook opens on the project's kernel without a choice to make.
    page.wait_for_selector("text=FoUI Norrbotten | Idle", timeout=180_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.wait_for_selector(".widget-vbox table.foui-table", timeout=300_000)
    page.screenshot(path=tmp_path / "0-run-all.png")
    first = scenario_text(page)
    assert "Scenario: 4 kr per invånare för FoUI skola 2016; per invånare." in first
    assert "Totalt\t14 betalar" in first

    # The rate: typed into the slider's readout, as a researcher can.
    def rate():
        readout = page.locator(".widget-slider .widget-readout").first
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("6")
        page.keyboard.press("Enter")

    text = change_and_wait(page, rate, "Scenario: 6 kr per invånare", tmp_path / "1-rate.png")
    assert "Arjeplog\tkvar\t2 907\t11 628 kr\t17 442 kr\t5 814 kr" in text

    selects = page.locator(".widget-vbox .widget-dropdown select")
    year = change_and_wait(
        page,
        lambda: selects.nth(0).select_option("2018"),
        "FoUI skola 2018",
        tmp_path / "2-year.png",
    )
    assert year != text

    change_and_wait(
        page,
        lambda: selects.nth(1).select_option(label="Lika delar"),
        "; lika delar.",
        tmp_path / "3-key.png",
    )

    members = page.locator(".widget-vbox select[multiple]")
    everyone = members.locator("option").all_inner_texts()
    assert len(everyone) == 14
    text = change_and_wait(
        page,
        lambda: members.select_option([m for m in everyone if m != "Luleå"]),
        "lämnar: Luleå",
        tmp_path / "4-members.png",
    )
    assert "Luleå\tlämnar" in text and "Totalt\t13 betalar" in text

    text = change_and_wait(
        page, lambda: members.select_option([]), "går inte att räkna", tmp_path / "5-none.png"
    )
    assert "inga medlemmar kvar" in text
    assert page.get_by_text("Traceback").count() == 0
    # Nothing of JupyterLab's own over the page (the news question is answered in its settings).
    assert page.get_by_text("Would you like to get notified").count() == 0
    assert page.blocked == []
