"""Loading CSV rows into the CKAN DataStore: Table Schema -> fields, typed batches, load, verify.

The flow follows the rest of the publisher: `fields` and `rows` are pure (used by the
desired state and by tests), `load` and `verify` are called by the apply engine only.
"""

from opencatalog.errors import OpenCatalogError

MARKER_FIELD = "opencatalog_datastore"  # resource field: what was loaded, as JSON
DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # default-on threshold for CSV files with a schema
BATCH_ROWS = 10_000  # rows per datastore_create/datastore_upsert call


class DatastoreError(OpenCatalogError):
    """A DataStore load or verification failed for one resource."""

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.row = row
        self.hint = hint
        self.resource: str | None = None  # set by the apply engine
        self.left_private = False  # the dataset stays private: a partial table could not be dropped
