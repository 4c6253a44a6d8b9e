"""Exceptions whose message is meant for the user (shown without a traceback)."""


class OpenCatalogError(Exception):
    """A problem the user can fix: bad configuration, missing catalog, unreachable portal."""

    exit_code = 2
