"""CKAN plugin `opencatalog_pgsearch`: search without Solr, GD Catalog rules.

Why update_config: CKAN calls search.check_solr_schema_version() right after
the IConfigurer hooks during environment load; IConfigurable.configure runs
too late to stop it. We swap in our index connection and query class there.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as plugins
from ckan.common import asbool

from . import rules

log = logging.getLogger(__name__)

_gdc_rules = False


def _install_search() -> None:
    import ckan.lib.search as search
    import ckan.lib.search.common as search_common
    import ckan.lib.search.index as search_index

    from . import query, store

    search_index.make_connection = store.make_connection
    search._QUERIES["package"] = query.PgPackageSearchQuery
    # model_dictize builds search.PackageSearchQuery() directly for
    # organization/group dataset counts, bypassing query_for()
    search.PackageSearchQuery = query.PgPackageSearchQuery  # type: ignore[misc]
    # no Solr to check or ping
    search.check_solr_schema_version = lambda *a, **k: True
    search_common.is_available = lambda: True
    search.is_available = lambda: True


def _install_gdc_rules() -> None:
    import ckan.logic.validators as validators

    # tag_string_convert calls the module-level tag_name_validator directly;
    # the tag schema looks it up by name (IValidators below covers that).
    validators.tag_name_validator = rules.gdc_tag_name_validator


class PgSearchPlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IConfigurer)
    plugins.implements(plugins.IValidators)

    def update_config(self, config: Any) -> None:
        global _gdc_rules
        _install_search()
        # templates/: scheming's field table without the rows a dataset leaves empty
        plugins.toolkit.add_template_directory(config, "templates")
        _gdc_rules = asbool(config.get("opencatalog.gdc_rules", False))
        if _gdc_rules:
            _install_gdc_rules()
        log.info("opencatalog_pgsearch: PostgreSQL search active, GD rules=%s", _gdc_rules)

    def get_validators(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "opencatalog_gdc_name": rules.opencatalog_gdc_name,
            "opencatalog_gdc_title_unique": rules.opencatalog_gdc_title_unique,
            "opencatalog_gdc_tag_string": rules.opencatalog_gdc_tag_string,
        }
        if _gdc_rules:
            found["tag_name_validator"] = rules.gdc_tag_name_validator
        return found
