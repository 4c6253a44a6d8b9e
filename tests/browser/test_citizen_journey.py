"""A citizen finds and downloads a dataset on the portal, in a real headless Chromium.

After publishing a copy of the sample catalog to the session portal: open the home page,
search a Thai word, open the dataset from the results, read its GD Catalog fields (Thai
labels and values), open the CSV resource and download it by clicking its download link
(byte-identical to the file in datapackages/, under an ASCII .csv name); then the DataStore
preview (the datatables view) and the data dictionary on the resource page.

Each step leaves a screenshot in the artefacts folder (see conftest.py). `page` comes first
in each test's arguments: a missing browser fails before the portal is started.
"""
from __future__ import annotations

import csv
import hashlib
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import expect

from integration.sample_copy import copy_sample
from opencatalog.gdc import standard
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = [pytest.mark.browser, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
DATASET = "otop-product-categories"  # the dataset the citizen looks for
RESOURCE = "categories"
WORD = "ผลิตภัณฑ์"  # "product": a Thai word of its title
GD_FIELDS = ["data_type", "data_category", "data_classification", "geo_coverage", "data_source"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _th(text: Any) -> str:
    return text["th"] if isinstance(text, dict) else str(text)


@pytest.fixture(scope="module")
def published(portal: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The whole sample catalog, published once for this module under a unique suffix."""
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path_factory.mktemp("citizen"), sfx)
    target = ResolvedTarget(name="local", url=portal.url, token=portal.token(),
                            profile=portal.profile)
    report = publish(make_plan(load_catalog(root), target))
    assert report.ok, [f.to_dict() for f in report.errors]

    meta = yaml.safe_load((REPO / "catalog" / "datasets" / f"{DATASET}.yaml").read_text("utf-8"))
    resource = next(r for r in meta["resources"] if r["name"] == RESOURCE)
    schema = yaml.safe_load(
        (REPO / "datapackages" / DATASET / resource["schema"]).read_text("utf-8"))
    return {
        "suffix": sfx,
        "url": f"{portal.url}/dataset/{DATASET}-{sfx}",
        "title": f"{_th(meta['title'])} ({sfx})",
        "meta": meta,
        "resource_title": _th(resource["title"]),
        "csv": REPO / "datapackages" / DATASET / resource["path"],
        "schema": schema,
    }


def _open_resource(page: Any, published: dict[str, Any]) -> None:
    page.locator("li.resource-item a.heading", has_text=published["resource_title"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(published["resource_title"])


def test_find_read_and_download(page: Any, portal: Any, published: dict[str, Any],
                                shot: Any, artifacts: Path) -> None:
    # 1. the home page
    page.goto(portal.url + "/")
    expect(page).to_have_title(re.compile("OpenCatalog local portal"))
    shot(page, "01-home")

    # 2. search a Thai word (with the copy's suffix: other tests share this portal)
    search = page.locator("#field-main-search")
    search.fill(f"{WORD} {published['suffix']}")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/dataset/\?q="))
    expect(page.get_by_role("heading", level=1)).to_contain_text(WORD)
    hit = page.locator(".dataset-heading a", has_text=published["title"])
    expect(hit).to_have_count(1)
    shot(page, "02-search")

    # 3. the dataset, with its GD Catalog fields under their Thai labels
    hit.click()
    page.wait_for_url(published["url"])
    expect(page.get_by_role("heading", level=1)).to_have_text(published["title"])
    labels = {f.name: f.label_th for f in standard().dataset_fields}
    info = page.locator("section.additional-info")
    for field in GD_FIELDS:
        value = published["meta"]["gdc"][field]
        row = info.locator(f"xpath=.//tr[th[normalize-space()='{labels[field]}']]/td")
        expect(row, f"GD field {field} ({labels[field]})").to_have_text(value)
    # no bookkeeping (it lives in extras) and no empty rows among the GD fields
    expect(info).not_to_contain_text("opencatalog")
    details = info.locator("td.dataset-details").all()
    assert details and all(cell.inner_text().strip() for cell in details)
    contact = info.locator(f"xpath=.//tr[th[normalize-space()='{labels['maintainer']}']]/td")
    expect(contact).to_have_text(published["meta"]["contact"]["name"])
    shot(page, "03-dataset")

    # 4. the CSV resource, downloaded by clicking its download link
    _open_resource(page, published)
    shot(page, "04-resource")
    with page.expect_download() as event:
        # "ดาวน์โหลด" (download); its name starts with the icon font's glyph
        page.get_by_role("link", name=re.compile(r"(^|\s)ดาวน์โหลด$")).click()
    download = event.value
    name = download.suggested_filename
    saved = artifacts / "downloads" / name
    download.save_as(saved)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.csv", name), name
    assert _sha256(saved) == _sha256(published["csv"]), (
        f"{name} downloaded from {download.url} differs from {published['csv']}")


def test_datastore_preview_and_dictionary(page: Any, published: dict[str, Any],
                                          shot: Any) -> None:
    page.goto(published["url"])
    _open_resource(page, published)
    viewer = page.locator("iframe[aria-label='Data viewer']")
    # the page is rendered by the server: the preview is there at load or not at all
    assert viewer.count() == 1, "no DataStore preview on the resource page (datastore_active?)"

    # the preview lists the rows, in Thai, as in the file
    with published["csv"].open(encoding="utf-8", newline="") as fh:
        names = [row["name_th"] for row in csv.DictReader(fh)]
    frame = page.frame_locator("iframe[aria-label='Data viewer']")
    for value in names:
        expect(frame.get_by_role("cell", name=value, exact=True)).to_be_visible()

    # the data dictionary names each column by the Thai title in its Table Schema
    dictionary = page.locator(".module-content", has=page.get_by_role("heading",
                                                                       name="Data Dictionary"))
    for field in published["schema"]["fields"]:
        expect(dictionary).to_contain_text(field["title"])
    shot(page, "05-datastore-preview")
