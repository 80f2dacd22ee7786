"""The web console in Chromium against the local host, Azurite and two emulated clusters.

The tests run in file order on one module's host: the last one stops a cluster.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Console, axe_violations, sign_in
from tests.support.azurite import ROOT

pytestmark = pytest.mark.slow


def expect_clean(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: {json.dumps(violations, indent=1)}"
    assert not page.problems, f"{where}: errors in the page (a CSP violation?): {page.problems}"


def test_sign_in_refuses_a_wrong_key_then_shows_the_servers_with_their_gpu_bars(
    console: Console, open_page: Callable[..., Any]
) -> None:
    page = open_page()
    page.goto(console.url)
    expect_clean(page, "sign-in")
    page.get_by_label("API key").fill("cp_not-a-key")
    page.get_by_label("API key").press("Enter")
    page.get_by_role("alert").filter(has_text="That API key was not accepted.").wait_for()
    page.problems.clear()  # the refused key's 401 is logged by the browser, as it should be

    sign_in(page, console)
    assert page.evaluate("sessionStorage.getItem('cloudplane.apiKey')") == console.key
    assert page.evaluate("localStorage.length") == 0, "the key is kept for the tab only"
    for server, free in zip(console.servers, (3, 2), strict=True):
        card = page.locator(f'li[data-server="{server["id"]}"]')
        card.locator(".free-gpus").filter(has_text=f"{free} free GPUs").wait_for()
        gpus = card.get_by_role("meter", name=re.compile("GPUs"))
        assert gpus.get_attribute("value") == str(4 - free) and gpus.get_attribute("max") == "4"
        assert f"{free} of 4 free" in card.inner_text()
    assert page.get_by_role("link", name="Servers").get_attribute("aria-current") == "page"
    expect_clean(page, "servers")

    page.reload()  # the key survives a reload of the tab
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("API key").wait_for()
    assert page.evaluate("sessionStorage.getItem('cloudplane.apiKey')") is None


def test_a_submitted_job_reaches_100_percent_and_its_csv_downloads(
    console: Console, open_page: Callable[..., Any]
) -> None:
    page = open_page()
    sign_in(page, console, "#/jobs")
    page.get_by_text("Submit a job").click()
    page.get_by_label("Name").fill("browser job")
    page.get_by_label("Configuration (JSON)").fill('{"items": 60, "batch_size": 10}')
    page.get_by_role("button", name="Submit job").click()
    page.locator("#submit-message").filter(has_text="Submitted browser job").wait_for()
    job_id = re.search(r"\((job_[^)]+)\)", page.locator("#submit-message").inner_text()).group(1)  # type: ignore[union-attr]

    row = page.locator(f'tr[data-job="{job_id}"]')
    bar = row.get_by_role("progressbar", name="Progress of browser job")
    page.wait_for_function(
        "id => document.querySelector(`tr[data-job='${id}'] progress`)?.value === 100", arg=job_id, timeout=60_000
    )
    row.get_by_text("completed", exact=True).wait_for()
    assert bar.get_attribute("max") == "100" and "60 / 60" in row.inner_text()
    page.locator("#success-rate").filter(has_text="100 %").wait_for()
    assert page.get_by_role("img", name=re.compile(r"Jobs by status:.* completed 1,")).count() == 1
    page.get_by_label("Window").select_option("1")
    page.locator("#success-rate").filter(has_text="100 %").wait_for()
    expect_clean(page, "jobs")

    row.get_by_role("link", name="browser job").click()
    page.get_by_role("heading", name="Job browser job").wait_for()
    assert page.locator("#job-percent").inner_text() == "100%"
    page.locator("pre.log").filter(has_text="job_completed").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == f"{job_id}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert len(rows) == 60
    expect_clean(page, "job detail")


def test_results_too_large_to_answer_inline_are_explained_not_fetched(
    console: Console, open_page: Callable[..., Any]
) -> None:
    """A large result is a 303 to a storage URL, which the console's CSP does not let it fetch."""
    made = console.api(
        "POST",
        "jobs",
        json={"type": "diagnostics.echo", "name": "large", "configuration": {"items": 3000, "batch_size": 1000}},
    )
    assert made.status_code == 202, made.text
    job_id = made.json()["id"]
    page = open_page()
    sign_in(page, console, f"#/jobs/{job_id}")
    page.get_by_role("button", name="Download CSV").click(timeout=60_000)
    page.get_by_role("status").filter(has_text="too large to download here").wait_for()
    reply = console.api("GET", f"jobs/{job_id}/results?format=csv", follow_redirects=False)
    assert reply.status_code == 303, "the case this test is about"
    expect_clean(page, "large results")


def test_the_jobs_page_with_fifty_jobs_renders_fast_and_small(
    console: Console, open_page: Callable[..., Any], record_property: Callable[[str, Any], None]
) -> None:
    """The figures the README quotes: first render of 50 jobs, and the console's transfer size."""
    for n in range(50):
        reply = console.api(
            "POST", "jobs", json={"type": "diagnostics.echo", "name": f"bulk {n}", "configuration": {"items": 1}}
        )
        assert reply.status_code == 202, reply.text
    page = open_page()
    sign_in(page, console, "#/servers")
    page.goto("about:blank")
    started = time.perf_counter()
    page.goto(console.url + "#/jobs")
    page.wait_for_function("() => document.querySelectorAll('tr[data-job]').length === 50")
    rendered_ms = page.evaluate("performance.now()")
    wall_ms = (time.perf_counter() - started) * 1000
    entries = page.evaluate(
        """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
            .filter(e => e.name.includes('/api/console'))
            .map(e => ({name: e.name, size: e.encodedBodySize}))"""
    )
    api_ms = page.evaluate(
        """() => Math.max(0, ...performance.getEntriesByType('resource')
            .filter(e => e.name.includes('/api/v1/jobs?')).map(e => e.duration))"""
    )
    shipped = {e["name"].split("#")[0].rsplit("/", 1)[-1] or "index.html" for e in entries}
    raw = sum(e["size"] for e in entries)
    gzipped = sum(len(gzip.compress((ROOT / "console" / name).read_bytes(), 9)) for name in shipped)
    record_property("first_render_ms", round(rendered_ms))
    record_property("jobs_call_ms", round(api_ms))
    record_property("console_bytes", raw)
    record_property("console_gzip_bytes", gzipped)
    print(
        f"\njobs page, 50 jobs: first render {rendered_ms:.0f} ms after navigation ({wall_ms:.0f} ms wall, "
        f"the jobs call {api_ms:.0f} ms), "
        f"{len(shipped)} files, {raw} bytes as sent, {gzipped} bytes gzip -9"
    )
    assert {"index.html", "app.js", "jobs.js", "console.css"} <= shipped
    assert gzipped < 100_000 and raw < 100_000


def test_invoices_show_each_billing_account_or_say_billing_is_absent(
    console: Console, open_page: Callable[..., Any]
) -> None:
    """The page follows the billing routes' contract; a deployment without them gets a sentence, not an error."""
    page = open_page()
    sign_in(page, console, "#/invoices")
    page.wait_for_function("() => !document.querySelector('#invoices-output').textContent.includes('Loading')")
    accounts = console.api("GET", "billing/accounts")
    if accounts.status_code == 404:
        assert accounts.json()["error"]["code"] == "ROUTE_NOT_FOUND"
        assert page.locator("#billing-unavailable").is_visible()
    else:
        assert accounts.status_code == 200, accounts.text
        items = accounts.json()["items"]
        for account in items:
            page.locator(f'section[data-account="{account["id"]}"]').filter(has_text="Running period").wait_for()
        if not items:
            assert page.get_by_text("No billing accounts yet.").is_visible()
    page.problems.clear()  # a deployment without billing answers the page's call with a 404, logged by the browser
    expect_clean(page, "invoices")


def test_clouds_lists_only_openstack_servers(console: Console, open_page: Callable[..., Any]) -> None:
    """The two Kubernetes clusters are servers, not clouds: the page says no cloud is registered."""
    page = open_page()
    sign_in(page, console, "#/clouds")
    page.locator("#no-clouds").wait_for()
    assert page.locator("section[data-cloud]").count() == 0
    expect_clean(page, "clouds")


def test_keyboard_and_a_narrow_screen(console: Console, open_page: Callable[..., Any]) -> None:
    page = open_page(width=360, height=740)
    sign_in(page, console, "#/jobs")
    page.locator("tr[data-job]").first.wait_for()
    for hash_ in ("#/jobs", "#/servers", "#/pods", "#/clouds", "#/invoices"):
        page.goto(console.url + hash_)
        page.locator("#page-title").wait_for()
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{hash_}: the page scrolls sideways by {overflow}px at 360px"
        assert page.get_by_role("navigation", name="Console sections").is_visible()
        if hash_ == "#/invoices":
            page.problems.clear()  # without billing routes the page's call is a 404, which the browser logs
        expect_clean(page, f"narrow {hash_}")

    page.goto(console.url + "#/servers")
    page.locator("#page-title").wait_for()
    assert page.evaluate("document.activeElement.id") == "main", "a page's content has the focus once shown"
    page.evaluate("document.querySelector('.skip').focus()")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("e => e === document.activeElement") and skip.bounding_box()["x"] >= 0  # type: ignore[index]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.evaluate("document.querySelector('.skip').focus()")
    for _ in range(2):
        page.keyboard.press("Tab")  # from the skip link: Servers, then Pods
    assert page.evaluate("document.activeElement.textContent") == "Pods"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Pods", level=1).wait_for()
    assert page.evaluate("document.activeElement.id") == "main", "focus moves to the new page"


def test_pods_of_both_clusters_then_a_partial_listing_when_one_is_down(
    console: Console, open_page: Callable[..., Any]
) -> None:
    page = open_page()
    sign_in(page, console, "#/pods")
    for pod in console.pods:
        page.locator(f'tr[data-pod="{pod["id"]}"]').wait_for()
    assert page.locator("tr[data-pod]").count() == 2
    assert "cluster-a" in page.locator(f'tr[data-pod="{console.pods[0]["id"]}"]').inner_text()
    assert page.locator(".pod-errors").count() == 0
    expect_clean(page, "pods")

    down = console.servers[1]
    console.clusters[1].stop()
    page.get_by_role("button", name="Refresh").click()
    failure = page.locator(f'.pod-errors li[data-server="{down["id"]}"]')
    failure.wait_for()
    assert re.search(r"^cluster-b: (UNREACHABLE|TIMEOUT)", failure.inner_text())
    assert "Partial listing" in page.get_by_role("alert").inner_text()
    assert page.locator("tr[data-pod]").count() == 1
    page.locator(f'tr[data-pod="{console.pods[0]["id"]}"]').wait_for()
    expect_clean(page, "pods, partial")
