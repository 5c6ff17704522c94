"""The run's reports: conformance.json, junit.xml, conformance.html and summary.md, from one report dict."""

from .model import FORMAT, build_report, verdict_meaning
from .write import HTML_NAME, RENDERERS, remove_reports, write_reports, write_run_reports

__all__ = ["FORMAT", "HTML_NAME", "RENDERERS", "build_report", "remove_reports", "verdict_meaning", "write_reports",
           "write_run_reports"]
