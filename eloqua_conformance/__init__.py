"""Conformance suite for Eloqua's "Create a copy of a contact segment" endpoint."""

__version__ = "0.1.0"
