"""Exports of the catalog for harvesters (DCAT-US data.json, DCAT-AP JSON-LD)."""

from opencatalog.export.dcat import LICENSE_URLS, ExportOptions, to_data_json, to_jsonld

__all__ = ["LICENSE_URLS", "ExportOptions", "to_data_json", "to_jsonld"]
