from opencatalog.report.model import Finding, Report

__all__ = ["Finding", "Report"]
