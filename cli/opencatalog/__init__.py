"""OpenCatalog: catalog-as-code for government open data."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("opencatalog")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

USER_AGENT = f"opencatalog/{__version__}"
