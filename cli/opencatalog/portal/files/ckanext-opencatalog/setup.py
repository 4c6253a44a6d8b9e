# Installed into the local portal's own CKAN virtualenv by `opencatalog portal up`.
from setuptools import setup

setup(
    name="ckanext-opencatalog-pgsearch",
    version="0.1.0",
    description=("OpenCatalog local portal: PostgreSQL search instead of Solr, GD Catalog rules, "
                 "DataStore previews"),
    packages=["ckanext.opencatalog_pgsearch"],
    package_data={"ckanext.opencatalog_pgsearch": ["templates/scheming/package/snippets/*.html"]},
    entry_points={
        "ckan.plugins": [
            "opencatalog_pgsearch = ckanext.opencatalog_pgsearch.plugin:PgSearchPlugin",
            "opencatalog_views = ckanext.opencatalog_pgsearch.views:DatastoreViewsPlugin",
        ]
    },
)
