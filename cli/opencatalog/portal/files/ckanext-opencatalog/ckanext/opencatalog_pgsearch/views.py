"""CKAN plugin `opencatalog_views`: a DataStore preview as soon as a table is loaded.

Stock CKAN creates the default views that need the DataStore (`datatables_view`)
only when the loader asks for them (DataPusher and XLoader call
`resource_create_default_resource_views` with `create_datastore_views=True`).
A table loaded with the plain Action API (`datastore_create`) gets none, so this
plugin wraps `datastore_create` (a chained action): once the table exists, the
missing default views are created, whoever loaded it. Not a resource hook: CKAN
2.10 sets `datastore_active` with a direct SQL update, which calls none.
Creating is idempotent (CKAN skips view types the resource already has).
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit

log = logging.getLogger(__name__)


@toolkit.chained_action
def datastore_create(original_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    result = original_action(context, data_dict)
    _ensure_views(context.get("user", ""), result.get("resource_id"))
    return result


def _ensure_views(user: str, resource_id: str | None) -> None:
    if not resource_id:
        return
    try:
        context = {"user": user, "ignore_auth": True}
        resource = toolkit.get_action("resource_show")(dict(context), {"id": resource_id})
        created = toolkit.get_action("resource_create_default_resource_views")(
            dict(context), {"resource": resource, "create_datastore_views": True})
    except Exception:  # a preview is a nicety: never fail the load for it
        log.exception("opencatalog_views: could not create views for %s", resource_id)
        return
    if created:
        log.info("opencatalog_views: %s view(s) for resource %s",
                 ", ".join(v["view_type"] for v in created), resource_id)


class DatastoreViewsPlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IActions)

    def get_actions(self) -> dict[str, Any]:
        return {"datastore_create": datastore_create}
