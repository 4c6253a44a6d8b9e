from opencatalog.report.model import Finding, Report
from opencatalog.report.render import FORMATS, render

__all__ = ["FORMATS", "Finding", "Report", "render"]
