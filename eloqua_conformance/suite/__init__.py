"""The conformance tests: one module per catalogue area, run against the target by the plugin."""
