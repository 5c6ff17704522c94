"""Plugin glue only: the suite's options, fixtures and verdicts live in eloqua_conformance.plugin."""

pytest_plugins = ["eloqua_conformance.plugin"]
