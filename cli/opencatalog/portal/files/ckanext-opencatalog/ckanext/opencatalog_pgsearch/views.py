"""CKAN plugin `opencatalog_views`: a DataStore preview as soon as a table is loaded.

Stock CKAN creates the default views that need the DataStore (`datatables_view`)
only when the loader asks for them (DataPusher and XLoader call
`resource_create_default_resource_views` with `create_datastore_views=True`).
A table loaded with the plain Action API (`datastore_create`) sets
`datastore_active` on the resource through `resource_patch`, which ends in
`after_resource_update` here: we create the missing default views then, so
every resource with a DataStore table gets its preview whoever loaded it.
Creating is idempotent (CKAN skips view types the resource already has).
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit
from ckan.common import asbool

log = logging.getLogger(__name__)


class DatastoreViewsPlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IResourceController, inherit=True)

    def after_resource_update(self, context: Any, resource: dict[str, Any]) -> None:
        self._ensure_views(context, resource)

    def after_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        self._ensure_views(context, resource)

    def _ensure_views(self, context: Any, resource: dict[str, Any]) -> None:
        if not asbool(resource.get("datastore_active", False)):
            return
        try:
            created = toolkit.get_action("resource_create_default_resource_views")(
                {"user": context.get("user", ""), "ignore_auth": True},
                {"resource": resource, "create_datastore_views": True},
            )
        except Exception:  # a preview is a nicety: never fail the update for it
            log.exception("opencatalog_views: could not create views for %s", resource.get("id"))
            return
        if created:
            log.info("opencatalog_views: %s view(s) for resource %s",
                     ", ".join(v["view_type"] for v in created), resource.get("id"))
