"""The catalog as DCAT for harvesters: DCAT-US / Project Open Data v1.1 `data.json`
and DCAT-AP style JSON-LD.

Both builders are functions of the Catalog model (plus a few link options); they make
no network call.  data.json has one string per text field, so it carries the Thai text
(the catalog's primary language) with the English text appended the way CKAN notes do;
JSON-LD keeps both as language-tagged literals.

Links: with a portal base URL a dataset's landing page is `<base>/dataset/<name>` and
each distribution's accessURL is that page (resource ids are only known to the portal).
downloadURL is given for external-URL resources, and for files when `files_base_url`
says where the repository's files are served.  Without a base URL, links are omitted
from data.json and JSON-LD uses `urn:opencatalog:...` identifiers.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from opencatalog.buddhist_era import LOOKS_BUDDHIST_AFTER, OFFSET
from opencatalog.desired.mapping import bilingual
from opencatalog.model.catalog import Catalog, Dataset, Owner, Resource, Text

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
POD_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
POD_DESCRIBED_BY = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"

# GD Catalog licence names -> licence URLs.  GD Catalog names Creative Commons licences
# without a version; 4.0 (the current one) is assumed.  Thailand's "Open Data Common"
# licence has no stable canonical URL we can vouch for, so it has none by default
# (data.json then names it in `rights`; pass license_urls={"Open Data Common": URL}).
LICENSE_URLS: dict[str, str | None] = {
    "Open Data Common": None,
    "Creative Commons Attributions": "https://creativecommons.org/licenses/by/4.0/",
    "Creative Commons Attribution Non-Commercial": "https://creativecommons.org/licenses/by-nc/4.0/",
    "Creative Commons Attribution Share-Alike": "https://creativecommons.org/licenses/by-sa/4.0/",
    "Creative Commons Attribution Non-Commercial Share-Alike":
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "Creative Commons Attribution Non-Commercial No-Derivs":
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    "Creative Commons Attribution No-Derivs": "https://creativecommons.org/licenses/by-nd/4.0/",
    # stock-CKAN ids, for catalogs on the `ckan` profile
    "cc-by": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-nc": "https://creativecommons.org/licenses/by-nc/4.0/",
    "cc-zero": "https://creativecommons.org/publicdomain/zero/1.0/",
    "odc-pddl": "https://opendatacommons.org/licenses/pddl/1-0/",
    "odc-odbl": "https://opendatacommons.org/licenses/odbl/1-0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
}

MEDIA_TYPES = {
    "CSV": "text/csv",
    "TSV": "text/tab-separated-values",
    "JSON": "application/json",
    "GEOJSON": "application/geo+json",
    "XML": "application/xml",
    "HTML": "text/html",
    "TXT": "text/plain",
    "PDF": "application/pdf",
    "XLS": "application/vnd.ms-excel",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "ZIP": "application/zip",
    "RDF": "application/rdf+xml",
    "PARQUET": "application/vnd.apache.parquet",
}

# update_frequency_unit -> ISO 8601 duration of one unit (None: no regular schedule)
FREQUENCY_UNITS = {
    "ปี": "P1Y", "ครึ่งปี": "P6M", "ไตรมาส": "P3M", "เดือน": "P1M", "สัปดาห์": "P1W",
    "วัน": "P1D", "วันทำการ": "P1D", "ชั่วโมง": "PT1H", "นาที": "PT1M",
}
DATE_FIELDS = ("last_updated_date", "data_release_date", "data_release_calendar", "created_date")


@dataclass
class ExportOptions:
    base_url: str | None = None  # the portal: landing pages <base>/dataset/<name>
    files_base_url: str | None = None  # where repository files are served (downloadURL, describedBy)
    include_private: bool = False
    license_urls: dict[str, str | None] = field(default_factory=dict)  # overrides LICENSE_URLS
    modified_of: Callable[[Dataset], str] | None = None  # default: git date, else file mtime

    def license_url(self, name: str | None) -> str | None:
        if not name:
            return None
        if name in self.license_urls:
            return self.license_urls[name]
        return LICENSE_URLS.get(name)


# ---------------------------------------------------------------- helpers


def _base(url: str | None) -> str | None:
    return url.rstrip("/") if url else None


def landing_page(dataset: Dataset, options: ExportOptions) -> str | None:
    base = _base(options.base_url)
    return f"{base}/dataset/{dataset.name}" if base else None


def dataset_iri(dataset: Dataset, options: ExportOptions) -> str:
    return landing_page(dataset, options) or f"urn:opencatalog:dataset:{dataset.name}"


def _file_url(options: ExportOptions, rel_path: str) -> str | None:
    base = _base(options.files_base_url)
    return f"{base}/{quote(rel_path)}" if base else None


def _data_rel(dataset: Dataset, resource: Resource) -> str | None:
    if resource.data_file is None:
        return None
    try:
        return resource.data_file.relative_to(dataset.data_dir.parent.parent).as_posix()
    except ValueError:
        return None


def download_url(dataset: Dataset, resource: Resource, options: ExportOptions) -> str | None:
    if resource.url:
        return resource.url
    rel = _data_rel(dataset, resource)
    return _file_url(options, rel) if rel else None


def schema_url(resource: Resource, options: ExportOptions) -> str | None:
    return _file_url(options, resource.schema_file) if resource.schema_file else None


def media_type(fmt: str | None) -> str | None:
    return MEDIA_TYPES.get(fmt.upper()) if fmt else None


def _schema_media_type(path: str) -> str:
    return "application/json" if path.endswith(".json") else "application/yaml"


def be_to_ce_year(value: Any) -> int | None:
    """A GD Catalog year ("2566" Buddhist era, or a CE year) as a CE year."""
    try:
        year = int(str(value).strip())
    except ValueError:
        return None
    return year - OFFSET if year > LOOKS_BUDDHIST_AFTER else year


def temporal(dataset: Dataset) -> str | None:
    first = be_to_ce_year(dataset.gdc.get("first_year_of_data")) \
        if dataset.gdc.get("first_year_of_data") is not None else None
    last = be_to_ce_year(dataset.gdc.get("last_year_of_data")) \
        if dataset.gdc.get("last_year_of_data") is not None else None
    if first is None and last is None:
        return None
    first = first if first is not None else last
    last = last if last is not None else first
    return f"{first:04d}-01-01/{last:04d}-12-31"


def bounding_box(dataset: Dataset) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) from the GD Catalog bound fields, when all are numbers."""
    keys = ("west_bound_longitude", "south_bound_longitude", "east_bound_longitude",
            "north_bound_longitude")  # GD Catalog keeps "longitude" in the latitude names
    try:
        values = tuple(float(dataset.gdc[k]) for k in keys)
    except (KeyError, TypeError, ValueError):
        return None
    return values  # type: ignore[return-value]


def spatial_label(dataset: Dataset) -> Text | None:
    coverage = dataset.gdc.get("geo_coverage")
    if coverage == "ประเทศ":
        return Text(th="ประเทศไทย", en="Thailand")
    if coverage == "อื่นๆ" and isinstance(dataset.gdc.get("geo_coverage_other"), str):
        return Text(th=dataset.gdc["geo_coverage_other"])
    return None


def accrual_periodicity(dataset: Dataset) -> str | None:
    unit = dataset.gdc.get("update_frequency_unit")
    if unit == "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล":
        return None
    duration = FREQUENCY_UNITS.get(unit) if isinstance(unit, str) else None
    if duration is None:
        return "irregular" if unit in ("อื่นๆ", "ไม่ทราบ", "ตามเวลาจริง") else None
    interval = dataset.gdc.get("update_frequency_interval")
    try:
        times = int(interval) if interval is not None else 1
    except (TypeError, ValueError):
        times = 1
    if times <= 1:
        return f"R/{duration}"
    # n times per unit: the period shrinks; express it in days when it does not divide evenly
    days = {"P1Y": 365, "P6M": 182, "P3M": 91, "P1M": 30, "P1W": 7, "P1D": 1}.get(duration)
    if days is None or days // times < 1:
        return "irregular"
    return f"R/P{max(1, round(days / times))}D"


def _git_date(dataset: Dataset, paths: list[str]) -> str | None:
    root = dataset.data_dir.parent.parent
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", *paths], cwd=root,
                             capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    date = out.stdout.strip()
    return date if out.returncode == 0 and len(date) == 10 else None


def default_modified(dataset: Dataset) -> str:
    """GD Catalog date fields first; else the last git commit of the dataset's files;
    else their newest modification time (UTC date)."""
    for key in DATE_FIELDS:
        value = dataset.gdc.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dt.date):
            return value.isoformat()
    root = dataset.data_dir.parent.parent
    files = [root / dataset.file]
    for resource in dataset.resources:
        if resource.data_file is not None:
            files.append(resource.data_file)
        if resource.schema_file:
            files.append(root / resource.schema_file)
    existing = [f for f in files if f.is_file()]
    git = _git_date(dataset, [f.relative_to(root).as_posix() for f in existing])
    if git:
        return git
    newest = max((f.stat().st_mtime for f in existing), default=None)
    when = dt.datetime.fromtimestamp(newest, dt.UTC) if newest else dt.datetime.now(dt.UTC)
    return when.date().isoformat()


def exported_datasets(catalog: Catalog, options: ExportOptions) -> list[Dataset]:
    return [d for d in catalog.datasets if d.name and (options.include_private or not d.private)]


def access_level(dataset: Dataset) -> str:
    if dataset.private:
        return "non-public"
    classification = dataset.gdc.get("data_classification")
    return "public" if classification in (None, "เปิดเผย") else "non-public"


def _title(text: Text | None, fallback: str) -> str:
    return text.th if text else fallback


def _owner_name(catalog: Catalog, dataset: Dataset) -> Owner | None:
    return catalog.organizations.get(dataset.organization or "")


# ---------------------------------------------------------------- data.json


def _distribution(dataset: Dataset, resource: Resource, options: ExportOptions) -> dict[str, Any]:
    dist: dict[str, Any] = {"@type": "dcat:Distribution"}
    title = _title(resource.title, resource.name or "")
    if title:
        dist["title"] = title
    description = bilingual(resource.description, resource.title.en if resource.title else None)
    if description:
        dist["description"] = description
    download = download_url(dataset, resource, options)
    mtype = media_type(resource.resolved_format)
    if download:
        dist["downloadURL"] = download
        dist["mediaType"] = mtype or "application/octet-stream"
    elif mtype:
        dist["mediaType"] = mtype
    landing = landing_page(dataset, options)
    if landing:
        dist["accessURL"] = landing
    if resource.resolved_format:
        dist["format"] = resource.resolved_format
    described = schema_url(resource, options)
    if described:
        dist["describedBy"] = described
        dist["describedByType"] = _schema_media_type(resource.schema_file or "")
        dist["conformsTo"] = "https://specs.frictionlessdata.io/table-schema/"
    return dist


def _pod_dataset(catalog: Catalog, dataset: Dataset, options: ExportOptions) -> dict[str, Any]:
    assert dataset.name is not None
    org = _owner_name(catalog, dataset)
    contact: dict[str, Any] = {"@type": "vcard:Contact",
                               "fn": dataset.contact.name or _title(org.title if org else None,
                                                                    dataset.organization or "")}
    if dataset.contact.email:
        contact["hasEmail"] = f"mailto:{dataset.contact.email}"
    modified_of = options.modified_of or default_modified
    out: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": _title(dataset.title, dataset.name),
        "description": bilingual(dataset.description,
                                 dataset.title.en if dataset.title else None) or dataset.name,
        "keyword": list(dataset.tags),
        "modified": modified_of(dataset),
        "publisher": {"@type": "org:Organization",
                      "name": _title(org.title if org else None, dataset.organization or "")},
        "contactPoint": contact,
        "identifier": dataset_iri(dataset, options),
        "accessLevel": access_level(dataset),
        "language": ["th"] + (["en"] if dataset.gdc.get("data_language") and
                              "อังกฤษ" in dataset.gdc["data_language"] else []),
    }
    lic = options.license_url(dataset.license)
    if lic:
        out["license"] = lic
    elif dataset.license:
        out["rights"] = f"สัญญาอนุญาต (licence): {dataset.license}"[:255]
    landing = landing_page(dataset, options)
    if landing:
        out["landingPage"] = landing
    periodicity = accrual_periodicity(dataset)
    if periodicity:
        out["accrualPeriodicity"] = periodicity
    span = temporal(dataset)
    if span:
        out["temporal"] = span
    box = bounding_box(dataset)
    place = spatial_label(dataset)
    if box:
        out["spatial"] = ",".join(f"{v:g}" for v in box)
    elif place:
        out["spatial"] = place.en or place.th
    themes = [_title(catalog.groups[g].title if g in catalog.groups else None, g)
              for g in dataset.groups]
    if themes:
        out["theme"] = list(dict.fromkeys(themes))
    if dataset.gdc.get("data_release_calendar") or dataset.gdc.get("data_release_date"):
        out["issued"] = str(dataset.gdc.get("data_release_date")
                            or dataset.gdc.get("data_release_calendar"))
    out["distribution"] = [_distribution(dataset, r, options) for r in dataset.resources if r.name]
    return out


def to_data_json(catalog: Catalog, options: ExportOptions | None = None) -> dict[str, Any]:
    """The catalog as a Project Open Data v1.1 (DCAT-US) `data.json` object."""
    options = options or ExportOptions()
    return {
        "@context": POD_CONTEXT,
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": POD_DESCRIBED_BY,
        "dataset": [_pod_dataset(catalog, d, options) for d in exported_datasets(catalog, options)],
    }


# ---------------------------------------------------------------- JSON-LD (DCAT-AP style)

JSONLD_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": "http://www.w3.org/ns/locn#",
    "adms": "http://www.w3.org/ns/adms#",
}
LANG_IRI = "http://publications.europa.eu/resource/authority/language/"
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
# data.json accrualPeriodicity -> EU frequency authority code (DCAT-AP controlled vocabulary)
EU_FREQUENCY = {"R/P1Y": "ANNUAL", "R/P6M": "ANNUAL_2", "R/P3M": "QUARTERLY", "R/P1M": "MONTHLY",
                "R/P1W": "WEEKLY", "R/P1D": "DAILY", "R/PT1H": "HOURLY", "irregular": "IRREG"}
EU_FILE_TYPE = {fmt: fmt for fmt in MEDIA_TYPES} | {"RDF": "RDF_XML"}


def literals(text: Text | None) -> list[dict[str, str]]:
    if text is None:
        return []
    out = [{"@value": text.th, "@language": "th"}]
    if text.en:
        out.append({"@value": text.en, "@language": "en"})
    return out


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


def _date(value: str) -> dict[str, str]:
    kind = "xsd:date" if len(value) == 10 else "xsd:dateTime"
    return {"@value": value, "@type": kind}


def _owner_node(name: str, kind: str, options: ExportOptions) -> dict:
    base = _base(options.base_url)
    path = "organization" if kind == "organization" else "group"
    node: dict[str, Any] = {"@id": f"{base}/{path}/{name}" if base else f"urn:opencatalog:{path}:{name}"}
    return node


def _ld_distribution(dataset: Dataset, resource: Resource, options: ExportOptions) -> dict:
    base_iri = dataset_iri(dataset, options)
    # the portal's resource URLs use ids only it knows: a fragment of the landing page instead
    sep = "#resource-" if base_iri.startswith("http") else ":resource:"
    node: dict[str, Any] = {"@id": f"{base_iri}{sep}{resource.name}", "@type": "dcat:Distribution",
                            "dct:identifier": resource.name}
    title = literals(resource.title) or [{"@value": resource.name, "@language": "th"}]
    node["dct:title"] = title
    if resource.description:
        node["dct:description"] = literals(resource.description)
    landing = landing_page(dataset, options)
    download = download_url(dataset, resource, options)
    node["dcat:accessURL"] = _iri(landing or download or base_iri)
    if download:
        node["dcat:downloadURL"] = _iri(download)
    mtype = media_type(resource.resolved_format)
    if mtype:
        node["dcat:mediaType"] = _iri(IANA + mtype)
    fmt = resource.resolved_format
    if fmt:
        code = EU_FILE_TYPE.get(fmt)
        node["dct:format"] = _iri(f"{EU}file-type/{code}") if code else fmt
    lic = options.license_url(dataset.license)
    if lic:
        node["dct:license"] = _iri(lic)
    described = schema_url(resource, options)
    if described:
        node["dct:conformsTo"] = _iri(described)
    return node


def _ld_dataset(catalog: Catalog, dataset: Dataset, options: ExportOptions) -> dict[str, Any]:
    assert dataset.name is not None
    org = _owner_name(catalog, dataset)
    modified_of = options.modified_of or default_modified
    node: dict[str, Any] = {
        "@id": dataset_iri(dataset, options),
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.name,
        "dct:title": literals(dataset.title) or [{"@value": dataset.name, "@language": "th"}],
        "dct:description": literals(dataset.description),
        "dcat:keyword": [{"@value": t, "@language": "th"} for t in dataset.tags],
        "dct:modified": _date(modified_of(dataset)),
        "dct:language": [_iri(LANG_IRI + "THA")]
        + ([_iri(LANG_IRI + "ENG")] if "อังกฤษ" in (dataset.gdc.get("data_language") or []) else []),
        "dct:accessRights": _iri(f"{EU}access-right/"
                                 + ("PUBLIC" if access_level(dataset) == "public" else "NON_PUBLIC")),
    }
    publisher = _owner_node(dataset.organization or "", "organization", options)
    publisher["@type"] = "foaf:Organization"
    publisher["foaf:name"] = literals(org.title if org else None) or dataset.organization
    node["dct:publisher"] = publisher
    contact: dict[str, Any] = {"@type": "vcard:Organization"}
    if dataset.contact.name:
        contact["vcard:fn"] = dataset.contact.name
    if dataset.contact.email:
        contact["vcard:hasEmail"] = _iri(f"mailto:{dataset.contact.email}")
    if dataset.contact.phone:
        contact["vcard:hasTelephone"] = dataset.contact.phone
    node["dcat:contactPoint"] = contact
    landing = landing_page(dataset, options)
    if landing:
        node["dcat:landingPage"] = _iri(landing)
    lic = options.license_url(dataset.license)
    if lic:
        node["dct:license"] = _iri(lic)
    elif dataset.license:
        node["dct:license"] = {"@type": "dct:LicenseDocument", "rdfs:label": dataset.license}
    periodicity = accrual_periodicity(dataset)
    if periodicity:
        code = EU_FREQUENCY.get(periodicity)
        node["dct:accrualPeriodicity"] = (_iri(f"{EU}frequency/{code}") if code else
                                          {"@type": "dct:Frequency", "rdfs:label": periodicity})
    span = temporal(dataset)
    if span:
        start, end = span.split("/")
        node["dct:temporal"] = {"@type": "dct:PeriodOfTime",
                                "dcat:startDate": _date(start), "dcat:endDate": _date(end)}
    box = bounding_box(dataset)
    place = spatial_label(dataset)
    if box or place:
        location: dict[str, Any] = {"@type": "dct:Location"}
        if place:
            location["skos:prefLabel"] = literals(place)
        if box:
            w, s, e, n = box
            location["dcat:bbox"] = {
                "@value": f"POLYGON(({w:g} {s:g}, {e:g} {s:g}, {e:g} {n:g}, {w:g} {n:g}, {w:g} {s:g}))",
                "@type": "http://www.opengis.net/ont/geosparql#wktLiteral"}
        node["dct:spatial"] = location
    themes = []
    for name in dataset.groups:
        group = catalog.groups.get(name)
        theme = _owner_node(name, "group", options)
        theme["@type"] = "skos:Concept"
        theme["skos:prefLabel"] = literals(group.title if group else None) or name
        themes.append(theme)
    if themes:
        node["dcat:theme"] = themes
    node["dcat:distribution"] = [_ld_distribution(dataset, r, options)
                                 for r in dataset.resources if r.name]
    return node


def to_jsonld(catalog: Catalog, options: ExportOptions | None = None) -> dict[str, Any]:
    """The catalog as DCAT(-AP) JSON-LD: dcat:Catalog -> dcat:dataset -> dcat:distribution."""
    options = options or ExportOptions()
    base = _base(options.base_url)
    org = (catalog.organizations.get(catalog.config.default_organization or "")
           or next(iter(catalog.organizations.values()), None))
    cat: dict[str, Any] = {
        "@id": f"{base}/catalog" if base else "urn:opencatalog:catalog",
        "@type": "dcat:Catalog",
        "dct:title": literals(org.title) if org and org.title else "OpenCatalog",
        "dct:language": [_iri(LANG_IRI + "THA")],
    }
    if org and org.description:
        cat["dct:description"] = literals(org.description)
    if org and org.name:
        publisher = _owner_node(org.name, "organization", options)
        publisher["@type"] = "foaf:Organization"
        publisher["foaf:name"] = literals(org.title) or org.name
        cat["dct:publisher"] = publisher
    if base:
        cat["foaf:homepage"] = _iri(base)
    cat["dcat:dataset"] = [_ld_dataset(catalog, d, options)
                           for d in exported_datasets(catalog, options)]
    return {"@context": JSONLD_CONTEXT, **cat}
