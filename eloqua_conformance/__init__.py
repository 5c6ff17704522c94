"""Conformance suite for Eloqua's "Create a copy of a contact segment" endpoint."""

__version__ = "0.2.0"  # keep equal to pyproject.toml's version
