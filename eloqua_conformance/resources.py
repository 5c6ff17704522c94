"""The files a run reads from spec/, found with importlib.resources: the one place that knows where they are.

In a checkout `eloqua_conformance/spec` is a symlink to the top-level `spec/`, the one copy people edit;
the wheel carries the files themselves (package data), so an installed suite reads the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml

__all__ = ["API_PREFIX", "CATALOGUE", "OPENAPI", "REPORT_SCHEMA", "SEGMENTS_ROOT", "load_yaml", "sha256", "spec_file"]

OPENAPI = "openapi.yaml"
CATALOGUE = "requirements.yaml"
REPORT_SCHEMA = "report.schema.json"
API_PREFIX = "/api/REST/2.0"  # what a target URL is followed by, as Oracle's own paths write it
SEGMENTS_ROOT = f"{API_PREFIX}/assets/contact"  # the segment operations live under this path


def spec_file(name: str) -> Traversable:
    """The packaged spec file `name` (one of OPENAPI, CATALOGUE, REPORT_SCHEMA)."""
    return files("eloqua_conformance") / "spec" / name


# libyaml's parser when PyYAML was built with it: the same documents, a tenth of the ~35 ms per run.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load_yaml(name: str) -> Any:
    """A spec file parsed once per process (callers must not mutate the result)."""
    return yaml.load(spec_file(name).read_text(encoding="utf-8"), Loader=_LOADER)


def sha256(name: str) -> str:
    return hashlib.sha256(spec_file(name).read_bytes()).hexdigest()
