from opencatalog.model.catalog import (
    Catalog,
    CatalogConfig,
    Contact,
    Dataset,
    Owner,
    Resource,
    Target,
    Text,
)

__all__ = ["Catalog", "CatalogConfig", "Contact", "Dataset", "Owner", "Resource", "Target",
           "Text"]
