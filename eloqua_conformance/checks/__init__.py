"""The checks: one module per catalogue area, each check registered with `@check(ID)` over `(context, exchange)`.

`CHECKS` maps every requirement ID to its checks; `copy_checks()` lists those that judge any answer to a
schema-valid copy request, which the property-based run applies to every generated copy.
"""

from __future__ import annotations

from . import authn, authz, fault, notfound, prop, ro, sem, shape, state, status, valid
from ._common import DOCUMENTED_4XX, FLAGGED_READ_ONLY, READ_ONLY_BY_DESCRIPTION, schema_errors
from .registry import Check, CheckFunction, Context, Listing, check, copy_checks, registered

__all__ = [
    "AREAS",
    "CHECKS",
    "DOCUMENTED_4XX",
    "FLAGGED_READ_ONLY",
    "READ_ONLY_BY_DESCRIPTION",
    "Check",
    "CheckFunction",
    "Context",
    "Listing",
    "authn",
    "authz",
    "check",
    "copy_checks",
    "fault",
    "notfound",
    "prop",
    "registered",
    "ro",
    "schema_errors",
    "sem",
    "shape",
    "state",
    "status",
    "valid",
]

AREAS = (shape, ro, authn, authz, notfound, valid, sem, status, fault, prop, state)
CHECKS = registered()
"""Requirement ID to its checks: everything `@check` registered, once every area module is imported."""
