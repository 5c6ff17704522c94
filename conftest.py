"""Plugin glue only: options, hooks and verdicts in eloqua_conformance.plugin, fixtures in .fixtures."""

pytest_plugins = ["eloqua_conformance.plugin", "eloqua_conformance.fixtures"]
