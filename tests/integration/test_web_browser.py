"""The workbench in a real headless Chromium: pages load clean, filters narrow, maps and graphs draw,
and hostile article text never runs.

Needs Debian's ``chromium`` and ``chromium-driver`` (``make browser`` installs them). Screenshots
of each page go to ``docs/screenshots/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from crimewire.records import (
    ArticleOrganization,
    CountValue,
    DateValue,
    EventOrg,
    Mentions,
    OrgMatch,
    PlaceMatch,
)
from crimewire.storage.samples import make_event, make_result, place

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None or not Path("/usr/bin/chromedriver").exists(),
    reason="Debian's chromium and chromium-driver are not installed (run `make browser`)",
)

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
EVIL_ORG = f"Los Malos {IMG}"


def hostile_result():  # type: ignore[no-untyped-def]
    """An article whose title, text, group names and places carry script payloads."""
    body = (
        f"Police in Trujillo arrested 5 members of {EVIL_ORG} on Monday. {SCRIPT} "
        f"The suspects ran a checkpoint in La Libertad {IMG} for months."
    )
    sentence = f"Police in Trujillo arrested 5 members of {EVIL_ORG} on Monday."
    trujillo = place(
        body, "Trujillo", kind="city", country="PE", region="PE-LAL", region_name="La Libertad",
        city="Trujillo", lat=-8.11, lon=-79.03,
    )
    region = PlaceMatch(f"La Libertad {IMG}", body.index("La Libertad"), body.index("La Libertad") + 11,
                        f"La Libertad {IMG}", kind="region", country="PE", region="PE-LAL")
    event = make_event(
        body, sentence, "arrested", "arrest",
        date=DateValue(date(2024, 9, 2), "day", "on Monday"),
        count=CountValue(5, "exact", "5"),
        country="PE",
        places=(trujillo, region),
        organizations=(EventOrg(EVIL_ORG),),
        agencies=(f"Policía {SCRIPT}",),
    )
    start = body.index("Los Malos")
    return make_result(
        "hostile-article",
        body,
        clutter=f"Read more: {SCRIPT}\n",
        events=(event,),
        published=date(2024, 9, 3),
        title=f"Arrests in Trujillo {SCRIPT}",
        organizations=(ArticleOrganization(EVIL_ORG),),
        mentions=Mentions(
            places=(trujillo, region),
            organizations=(OrgMatch(EVIL_ORG, start, start + len(EVIL_ORG), EVIL_ORG, rule="pattern", known=False),),
        ),
        url="javascript:window.__pwned=1",
    )


@pytest.fixture(scope="module")
def server(sample_db: Callable[..., Path], serve_workbench: Callable[..., Any]) -> Iterator[str]:
    with serve_workbench(sample_db("cw-web", hostile_result())) as url:
        yield url


@pytest.fixture(scope="module")
def driver(browser: Any) -> Any:
    return browser


def _problems(driver) -> list[str]:  # type: ignore[no-untyped-def]
    """Console errors and failed requests logged since the last call (SEVERE entries)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _load(driver, url: str) -> None:  # type: ignore[no-untyped-def]
    _problems(driver)  # drop what earlier pages logged
    driver.get(url)


def _wait(driver, css: str, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _shot(driver, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.min(document.body.scrollHeight, 2200)")
    driver.set_window_size(1400, max(900, int(height)))
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    driver.set_window_size(1400, 1000)


def _css(driver, selector: str) -> list:  # type: ignore[type-arg, no-untyped-def]
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def test_overview_loads_clean(server: str, driver) -> None:  # type: ignore[no-untyped-def]
    _load(driver, server + "/")
    assert driver.title.startswith("Overview")
    assert len(_css(driver, "svg.chart rect.col")) >= 3  # months from 2023-11 to 2024-09
    assert _css(driver, "table.bars a[href^='/organizations/']")
    assert _problems(driver) == []
    _shot(driver, "overview")


def test_filter_narrows_the_table_and_a_row_opens_its_sources(server: str, driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _load(driver, server + "/incidents")
    all_rows = _css(driver, "#incidents tbody tr[data-id]")
    assert len(all_rows) == 6  # 7 events, one of them background
    _shot(driver, "incidents")
    Select(driver.find_element(By.NAME, "type")).select_by_value("arrest")
    driver.find_element(By.NAME, "country").send_keys("PE")
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=submit]").click()
    _wait(driver, "#incidents")
    rows = _css(driver, "#incidents tbody tr[data-id]")
    assert 0 < len(rows) < len(all_rows)
    assert all(r.find_element(By.CSS_SELECTOR, "a.open").text == "arrest" for r in rows)
    assert "type=arrest" in driver.current_url and "country=PE" in driver.current_url
    assert _problems(driver) == []

    # Newest first: the Lima arrest (March 2024) after the hostile one (September 2024).
    link = next(r for r in rows if "Lima" in r.text).find_element(By.CSS_SELECTOR, "a.open")
    link.click()
    _wait(driver, "#sources")
    marks = _css(driver, ".source .article-text mark.hl-evidence")
    assert marks, "the evidence sentence is highlighted in the article text"
    evidence = "".join(m.get_attribute("textContent") for m in marks)  # cut by the trigger's mark
    assert evidence.startswith("Police in Lima arrested 12 members") and evidence.endswith("on Tuesday.")
    assert _css(driver, ".source .article-text mark.hl-trigger")[0].text == "arrested"
    assert "Tren de Aragua" in driver.find_element(By.ID, "arguments").text
    assert _problems(driver) == []
    _shot(driver, "incident")


def test_article_view_highlights_names_and_shows_clutter_apart(server: str, driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _load(driver, server + "/articles/lima-raid")
    text = driver.find_element(By.ID, "article-text")
    kinds = {k for m in text.find_elements(By.TAG_NAME, "mark") for k in m.get_attribute("class").split()}
    assert {"hl-place", "hl-organization", "hl-nationality", "hl-evidence", "hl-trigger"} <= kinds
    assert "Storm closes the port" in driver.find_element(By.ID, "removed").text
    assert "Storm closes the port" not in text.text
    assert _problems(driver) == []
    _shot(driver, "article")


def test_map_draws_points_regions_and_countries(server: str, driver) -> None:  # type: ignore[no-untyped-def]
    _load(driver, server + "/map")
    _wait(driver, "#map[data-ready='1']")
    svg = _css(driver, "#map svg")[0]
    assert len(_css(driver, "#map path.country")) > 150
    assert len(_css(driver, "#map circle.point")) >= 2  # Lima, Cartagena, Trujillo
    assert [p.get_attribute("data-code") for p in _css(driver, "#map path.region")] == ["PE-LIM"]
    assert [p.get_attribute("data-code") for p in _css(driver, "#map path.country-hit")] == ["EC"]
    assert int(svg.get_attribute("data-points")) >= 2
    _css(driver, "#map circle.point")[0].click()
    assert _css(driver, "#map-info a[href^='/events/']")
    assert _problems(driver) == []
    _shot(driver, "map")


def test_network_draws(server: str, driver) -> None:  # type: ignore[no-untyped-def]
    _load(driver, server + "/network")
    _wait(driver, "#network[data-ready='1']")
    assert len(_css(driver, "#network g.node circle")) >= 8
    assert len(_css(driver, "#network line.link")) >= 8
    assert _css(driver, "#network line.link.faction_of")
    labels = {t.text for t in _css(driver, "#network g.node text")}
    assert {"Tren de Aragua", "Los Hijos de Dios", "Clan del Golfo"} <= labels
    assert _problems(driver) == []
    _shot(driver, "network")


def test_organization_profile_and_search(server: str, driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _load(driver, server + "/organizations/" + quote("Tren de Aragua"))
    _wait(driver, "#map[data-ready='1']")
    assert "Aragua Train" in driver.find_element(By.ID, "aliases").text
    assert "Los Hijos de Dios" in driver.find_element(By.ID, "factions").text
    assert _css(driver, "#map circle.point")
    assert _problems(driver) == []
    _shot(driver, "organization")

    _load(driver, server + "/search?q=cocaína")
    hits = _css(driver, "#hits li")
    assert len(hits) == 1 and _css(driver, "#hits mark.hl-match")
    assert _problems(driver) == []
    _shot(driver, "search")


HOSTILE_PAGES = (
    "/",
    "/incidents",
    "/events",
    "/articles",
    "/articles/hostile-article",
    "/organizations",
    "/organizations/" + quote(EVIL_ORG, safe=""),
    "/search?q=" + quote("Trujillo script"),
    "/network",
    "/map?country=PE",
)


@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_hostile_article_never_executes(server: str, driver, page: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _load(driver, server + page)
    if "map" in page:
        _wait(driver, "#map[data-ready='1']")
    if "network" in page:
        _wait(driver, "#network[data-ready='1']")
        _css(driver, "#network g.node")[0]  # exists
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert not _css(driver, "img[src='x']")
    assert not [s for s in _css(driver, "script") if "__pwned" in (s.get_attribute("innerHTML") or "")]
    body = driver.find_element(By.TAG_NAME, "body").text
    if page not in ("/map?country=PE", "/network"):
        assert "<script>window.__pwned=1</script>" in body or '<img src=x onerror="window.__pwned=1">' in body
    assert _problems(driver) == []


def test_hostile_incident_page_and_graph_labels_stay_text(server: str, driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _load(driver, server + "/incidents?text=Trujillo")
    driver.find_element(By.CSS_SELECTOR, "#incidents a.open").click()
    _wait(driver, "#sources")
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert EVIL_ORG in driver.find_element(By.ID, "arguments").text
    # The javascript: URL of the article is not made a link.
    assert all(not (a.get_attribute("href") or "").startswith("javascript:") for a in _css(driver, "a"))
    assert _problems(driver) == []

    _load(driver, server + "/network?country=PE")
    _wait(driver, "#network[data-ready='1']")
    labels = {t.text for t in _css(driver, "#network g.node text")}
    assert EVIL_ORG in labels
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert _problems(driver) == []
