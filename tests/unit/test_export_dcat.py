"""`opencatalog export`: the sample catalog as DCAT-US data.json (validated against the
published Project Open Data v1.1 JSON Schemas, vendored in tests/fixtures/pod-v1.1) and as
DCAT-AP JSON-LD (parsed with rdflib when it is installed)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from catalog_builder import DATASET_FILE, DATASET_YAML, replace_once
from opencatalog.export import ExportOptions, to_data_json, to_jsonld
from opencatalog.export.dcat import be_to_ce_year, default_modified
from opencatalog.load.catalog_loader import load_catalog

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent  # the repository root holds the sample catalog
POD = TESTS / "fixtures" / "pod-v1.1"
BASE = "https://catalog.example.go.th"
FILES = "https://raw.example.org/cdd/catalog/main"
FIXED_DATE = "2024-01-15"

pytestmark = pytest.mark.sample


def _schema(name: str) -> dict:
    return json.loads((POD / name).read_text("utf-8"))


def _validator(catalog_schema: dict, dataset_schema: dict) -> Draft4Validator:
    registry = Registry().with_resources([
        (catalog_schema["id"].rstrip("#"), Resource.from_contents(catalog_schema, DRAFT4)),
        (dataset_schema["id"].rstrip("#"), Resource.from_contents(dataset_schema, DRAFT4)),
    ])
    return Draft4Validator(catalog_schema, registry=registry)


def _errors(validator: Draft4Validator, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(document)]


def _all_messages(validator: Draft4Validator, document: dict) -> str:
    """Every message, including those inside anyOf branches."""
    out: list[str] = []

    def walk(errors) -> None:
        for error in errors:
            out.append(error.message)
            walk(error.context or [])

    walk(validator.iter_errors(document))
    return " | ".join(out)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT)


@pytest.fixture(scope="module")
def public_names(catalog) -> list[str]:
    return [d.name for d in catalog.datasets if not d.private]


def _options(**kwargs) -> ExportOptions:
    kwargs.setdefault("modified_of", lambda dataset: FIXED_DATE)
    return ExportOptions(**kwargs)


@pytest.fixture(scope="module", params=["links", "no-links"])
def data_json(request, catalog) -> dict:
    if request.param == "links":
        return to_data_json(catalog, _options(base_url=BASE, files_base_url=FILES))
    return to_data_json(catalog, _options())


# ------------------------------------------------------------------ data.json


def test_data_json_valid_against_published_non_federal_v1_1_schema(data_json):
    validator = _validator(_schema("catalog.json"), _schema("dataset-non-federal.json"))
    assert _errors(validator, data_json) == []


def test_data_json_valid_against_federal_v1_1_dataset_schema_except_us_codes(data_json):
    """The federal profile also requires keyword and modified; bureauCode/programCode are
    US-federal only and are the two requirements dropped."""
    dataset_schema = _schema("dataset-federal.json")
    dataset_schema["required"] = [r for r in dataset_schema["required"]
                                  if r not in ("bureauCode", "programCode")]
    assert {"keyword", "modified", "title", "description", "publisher", "contactPoint",
            "identifier", "accessLevel"} <= set(dataset_schema["required"])
    catalog_schema = copy.deepcopy(_schema("catalog.json"))
    catalog_schema["properties"]["dataset"]["items"]["$ref"] = "dataset.json"
    validator = _validator(catalog_schema, dataset_schema)
    assert _errors(validator, data_json) == []


def test_schema_catches_a_broken_document(data_json):
    """The schema check is live: a dataset without identifier, or a download without a
    media type, is reported."""
    broken = copy.deepcopy(data_json)
    del broken["dataset"][0]["identifier"]
    broken["dataset"][1]["distribution"] = [{"downloadURL": "https://x.example/a.csv"}]
    broken["conformsTo"] = "https://project-open-data.cio.gov/v1.0/schema"
    errors = _all_messages(_validator(_schema("catalog.json"), _schema("dataset-non-federal.json")),
                           broken)
    assert "'identifier' is a required property" in errors
    assert "'mediaType' is a required property" in errors
    assert "is not one of ['https://project-open-data.cio.gov/v1.1/schema']" in errors


def test_data_json_covers_the_whole_catalog(data_json, public_names, catalog):
    assert data_json["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert data_json["@type"] == "dcat:Catalog"
    assert [d["title"] for d in data_json["dataset"]] == [
        d.title.th for d in catalog.datasets if not d.private]
    assert len(data_json["dataset"]) == len(public_names) == 6
    assert len({d["identifier"] for d in data_json["dataset"]}) == len(public_names)
    for out, dataset in zip(data_json["dataset"], [d for d in catalog.datasets if not d.private],
                            strict=True):
        assert out["@type"] == "dcat:Dataset"
        assert out["keyword"] == dataset.tags
        assert out["modified"] == FIXED_DATE
        assert out["publisher"]["name"] == "กรมการพัฒนาชุมชน"
        assert out["contactPoint"]["fn"] == dataset.contact.name
        assert out["contactPoint"]["hasEmail"] == f"mailto:{dataset.contact.email}"
        assert out["accessLevel"] == "public"
        assert out["language"][0] == "th"
        # Thai first, the English text appended (one string per field in data.json)
        assert out["description"].startswith(dataset.description.th.strip()[:40])
        if dataset.description.en:
            assert dataset.description.en.strip()[:40] in out["description"]
        assert len(out["distribution"]) == len(dataset.resources)
        assert out["theme"] == [catalog.groups[g].title.th for g in dataset.groups]
        # Open Data Common has no licence URL by default: named in rights instead
        assert "license" not in out and "Open Data Common" in out["rights"]


def test_data_json_links_with_base_url(catalog):
    doc = to_data_json(catalog, _options(base_url=BASE + "/", files_base_url=FILES))
    provinces = next(d for d in doc["dataset"] if d["landingPage"].endswith("/thai-provinces"))
    assert provinces["identifier"] == provinces["landingPage"] == f"{BASE}/dataset/thai-provinces"
    dist = {d["title"]: d for d in provinces["distribution"]}
    regions = dist["ภาคทางภูมิศาสตร์ 6 ภาค"]
    assert regions["accessURL"] == f"{BASE}/dataset/thai-provinces"
    assert regions["downloadURL"] == f"{FILES}/datapackages/thai-provinces/regions.csv"
    assert regions["mediaType"] == "text/csv" and regions["format"] == "CSV"
    assert regions["describedBy"] == f"{FILES}/datapackages/thai-provinces/regions.schema.yaml"
    assert regions["describedByType"] == "application/yaml"
    for dataset in doc["dataset"]:
        for url in [dataset["landingPage"]] + [v for d in dataset["distribution"]
                                               for k, v in d.items() if k.endswith(("URL", "By"))]:
            parsed = urlparse(url)  # format: uri is not enforced by jsonschema: check it here
            assert parsed.scheme == "https" and parsed.netloc, url


def test_data_json_without_links_has_no_relative_urls(catalog):
    doc = to_data_json(catalog, _options())
    for dataset in doc["dataset"]:
        assert dataset["identifier"].startswith("urn:opencatalog:dataset:")
        assert "landingPage" not in dataset
        for dist in dataset["distribution"]:
            assert not {"accessURL", "downloadURL", "describedBy"} & set(dist)


def test_gd_catalog_fields_become_temporal_spatial_periodicity(catalog):
    doc = to_data_json(catalog, _options())
    by_id = {d["identifier"].rsplit(":", 1)[1]: d for d in doc["dataset"]}
    performance = by_id["cdd-performance-2566"]
    assert performance["temporal"] == "2023-01-01/2023-12-31"  # B.E. 2566 = C.E. 2023
    assert performance["spatial"] == "Thailand"  # geo_coverage: ประเทศ
    assert performance["accrualPeriodicity"] == "R/P1Y"
    assert performance["issued"] == "2023-09-06"
    assert by_id["thai-provinces"]["accrualPeriodicity"] == "irregular"  # unit อื่นๆ
    assert by_id["thai-provinces"]["language"] == ["th", "en"]


def test_licence_url_override_and_cc_mapping(catalog):
    doc = to_data_json(catalog, _options(license_urls={"Open Data Common": "https://example.go.th/odc"}))
    assert {d["license"] for d in doc["dataset"]} == {"https://example.go.th/odc"}
    assert ExportOptions().license_url("Creative Commons Attributions") == \
        "https://creativecommons.org/licenses/by/4.0/"


def test_buddhist_era_years():
    assert be_to_ce_year("2566") == 2023
    assert be_to_ce_year("2023") == 2023
    assert be_to_ce_year("n/a") is None


def test_default_modified_is_an_iso_date(catalog):
    for dataset in catalog.datasets:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", default_modified(dataset))
    performance = catalog.dataset("cdd-performance-2566")
    assert default_modified(performance) == "2023-09-06"  # data_release_calendar


# ------------------------------------------------------------------ JSON-LD


def test_jsonld_shape(catalog, public_names):
    doc = to_jsonld(catalog, _options(base_url=BASE))
    assert {"dcat", "dct", "foaf", "vcard"} <= set(doc["@context"])
    assert doc["@type"] == "dcat:Catalog"
    assert len(doc["dcat:dataset"]) == len(public_names)
    first = doc["dcat:dataset"][0]
    assert first["@type"] == "dcat:Dataset"
    assert {"@value": catalog.datasets[0].title.th, "@language": "th"} in first["dct:title"]
    assert {"@value": catalog.datasets[0].title.en, "@language": "en"} in first["dct:title"]
    assert first["dcat:distribution"][0]["@type"] == "dcat:Distribution"


def test_jsonld_parses_as_rdf_with_thai_titles(catalog, public_names):
    rdflib = pytest.importorskip("rdflib")
    from rdflib.namespace import DCAT, DCTERMS, RDF

    for options in (_options(base_url=BASE, files_base_url=FILES), _options()):
        graph = rdflib.Graph().parse(data=json.dumps(to_jsonld(catalog, options)), format="json-ld")
        datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
        assert len(datasets) == len(public_names)
        catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
        assert len(catalogs) == 1
        assert set(graph.objects(catalogs[0], DCAT.dataset)) == datasets
        for dataset in datasets:
            titles = {t.language: str(t) for t in graph.objects(dataset, DCTERMS.title)}
            assert re.search(r"[\u0E00-\u0E7F]", titles["th"]), titles  # Thai script
            assert "en" in titles
            distributions = list(graph.objects(dataset, DCAT.distribution))
            assert distributions
            for dist in distributions:
                assert (dist, RDF.type, DCAT.Distribution) in graph
                assert graph.value(dist, DCAT.accessURL) is not None
        thai = {str(t) for d in datasets for t in graph.objects(d, DCTERMS.title)}
        assert "รหัสและชื่อจังหวัดของประเทศไทย จำแนกตามภาค" in thai


# ------------------------------------------------------------------ CLI


def test_cli_export_dcat(invoke):
    run = invoke("export", "--root", ROOT, "--format", "dcat", "--base-url", BASE)
    assert run.exit_code == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert len(doc["dataset"]) == 6
    validator = _validator(_schema("catalog.json"), _schema("dataset-non-federal.json"))
    assert _errors(validator, doc) == []


def test_cli_export_with_click_runner_and_output_file(tmp_path):
    from click.testing import CliRunner

    from opencatalog.commands.main import cli

    out = tmp_path / "data.json"
    result = CliRunner().invoke(cli, ["export", "--root", str(ROOT), "--format", "dcat-ap",
                                      "--base-url", BASE, "--output", str(out)], obj={})
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text("utf-8"))
    assert doc["@type"] == "dcat:Catalog" and len(doc["dcat:dataset"]) == 6


def test_cli_refuses_an_invalid_catalog(invoke, make_catalog):
    root = make_catalog({DATASET_FILE: replace_once(DATASET_YAML, "  data_type: ข้อมูลสถิติ\n", "")})
    run = invoke("export", "--root", root, "--base-url", BASE)
    assert run.exit_code == 1
    assert run.stdout == ""
    assert "not valid" in run.stderr and "Traceback" not in run.stderr


def test_cli_refuses_plain_http_base_url(invoke):
    run = invoke("export", "--root", ROOT, "--base-url", "http://catalog.example.go.th")
    assert run.exit_code != 0 and "Traceback" not in run.stderr
    assert "https" in run.stderr


def test_cli_private_datasets_left_out_unless_asked(invoke, make_catalog):
    root = make_catalog({DATASET_FILE: replace_once(DATASET_YAML, "license: Open Data Common\n",
                                                    "license: Open Data Common\nprivate: true\n")})
    run = invoke("export", "--root", root, "--base-url", BASE)
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["dataset"] == []
    run = invoke("export", "--root", root, "--base-url", BASE, "--include-private")
    [dataset] = json.loads(run.stdout)["dataset"]
    assert dataset["accessLevel"] == "non-public"
