"""The suite's options: each a CLI option, an environment variable and an ini key (CLI > env > ini)."""

from __future__ import annotations

import importlib
import math
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from eloqua_conformance.catalogue import select
from eloqua_conformance.credentials import Credential, CredentialError, parse_credential

__all__ = ["OPTIONS", "Option", "Settings", "add_options", "ini_origin", "resolve_settings", "trust"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Option:
    """One setting and the three places it can come from: --flag, ENV and the ini key env.lower()."""

    flag: str  # --target-url
    env: str  # CONFORMANCE_TARGET_URL
    help: str
    is_flag: bool = False
    metavar: str = ""
    repeatable: bool = False  # given several times on the command line; comma-separated in env and ini
    setting: str = ""  # the Settings attribute it fills, when not named like the flag

    @property
    def attribute(self) -> str:
        return self.setting or self.flag.removeprefix("--").replace("-", "_")

    @property
    def dest(self) -> str:
        return "conformance_" + self.flag.removeprefix("--").replace("-", "_")

    @property
    def ini(self) -> str:
        return self.env.lower()


OPTIONS = (
    Option("--target-url", "CONFORMANCE_TARGET_URL",
           "base URL of the server under test (scheme://host[:port][/prefix]); unset: the embedded reference mock",
           metavar="URL"),
    Option("--auth", "CONFORMANCE_AUTH", "credentials: basic:SITE\\USER:PASSWORD or bearer:TOKEN", metavar="CRED"),
    Option("--forbidden-auth", "CONFORMANCE_FORBIDDEN_AUTH",
           "credentials of an identity that may not create segments (exercises 403)", metavar="CRED"),
    Option("--source-segment-id", "CONFORMANCE_SOURCE_SEGMENT_ID",
           "copy from this existing segment (only read, never changed)", metavar="ID"),
    Option("--fault-injection", "CONFORMANCE_FAULT_INJECTION",
           "the target honours 'Prefer: code=NNN' (exercises 500)", is_flag=True),
    # Not --strict: pytest owns that flag (it turns on pytest's own strictness options).
    Option("--conformance-strict", "CONFORMANCE_STRICT",
           "SHOULD failures fail the run too (eloqua-conformance --strict)", is_flag=True, setting="strict"),
    Option("--requirement", "CONFORMANCE_REQUIREMENT",
           "run only this requirement ID or area (e.g. AUTHN-02, AUTHN); repeatable", metavar="ID", repeatable=True,
           setting="selected"),
    Option("--skip-requirement", "CONFORMANCE_SKIP_REQUIREMENT",
           "leave out this requirement ID or area; repeatable", metavar="ID", repeatable=True, setting="skipped"),
    Option("--record-har", "CONFORMANCE_RECORD_HAR",
           "also write traffic.har: every exchange of the run, masked like every report", is_flag=True),
    Option("--report-dir", "CONFORMANCE_REPORT_DIR", "where reports are written (default reports/)", metavar="DIR"),
    Option("--request-timeout", "CONFORMANCE_REQUEST_TIMEOUT",
           "seconds each request may take in all, connect to last byte (default 10; 0.01 to 3600)", metavar="S"),
    Option("--max-rps", "CONFORMANCE_MAX_RPS", "cap on requests per second (default: no cap; 0.1 to 100000)",
           metavar="N"),
    Option("--wait-budget", "CONFORMANCE_WAIT_BUDGET",
           "seconds the run may spend in all waiting out 429 and 503 before it stops with exit status 2 "
           "(default 120; 0 to 3600)", metavar="S"),
    Option("--ca-bundle", "CONFORMANCE_CA_BUNDLE",
           "PEM file of the CAs that sign the target's certificate, for a private CA (default: certifi's bundle, "
           "or SSL_CERT_FILE)", metavar="FILE"),
    Option("--sweep", "CONFORMANCE_SWEEP",
           "at start and end, delete segments named with this suite's prefix (ecs-) created before this run",
           is_flag=True),
    Option("--embedded-service", "CONFORMANCE_EMBEDDED_SERVICE",
           "without --target-url: test this SegmentService subclass in-process instead of the reference mock",
           metavar="MODULE:CLASS"),
)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    """The effective, validated settings of one run."""

    target_url: str | None = None
    auth: Credential | None = None
    forbidden_auth: Credential | None = None
    source_segment_id: int | None = None
    fault_injection: bool = False
    strict: bool = False
    report_dir: Path = Path("reports")
    record_har: bool = False
    request_timeout: float = 10.0
    max_rps: float | None = None
    wait_budget: float = 120.0
    ca_bundle: Path | None = None
    sweep: bool = False
    embedded_service: str = "eloqua_conformance.mock:SegmentService"
    selected: frozenset[str] | None = None  # requirement IDs chosen by --requirement; None: all
    skipped: frozenset[str] = frozenset()  # requirement IDs left out by --skip-requirement
    origins: dict[str, str] = field(default_factory=dict)  # flag -> where its value came from

    @property
    def embedded(self) -> bool:
        return self.target_url is None


def add_options(parser: pytest.Parser) -> None:
    """Register every option, its ini key, in one named group."""
    group = parser.getgroup("conformance", "Eloqua segment-copy conformance")
    for option in OPTIONS:
        help_text = f"{option.help} [env {option.env}, ini {option.ini}]"
        parser.addini(option.ini, help=option.help, default=None)
        if option.is_flag:
            group.addoption(option.flag, action="store_true", default=None, dest=option.dest, help=help_text)
        elif option.repeatable:
            group.addoption(option.flag, action="append", default=None, dest=option.dest, metavar=option.metavar,
                            help=help_text)  # fmt: skip
        else:
            group.addoption(option.flag, default=None, dest=option.dest, metavar=option.metavar, help=help_text)


def _raw_values(config: pytest.Config, environ: dict[str, str]) -> dict[str, tuple[Any, str]]:
    """Each given option's raw value and where it came from, by precedence CLI > env > ini."""
    found: dict[str, tuple[Any, str]] = {}
    for option in OPTIONS:
        cli = config.getoption(option.dest) or None if option.is_flag else config.getoption(option.dest)
        if cli is not None:
            found[option.flag] = (cli, f"{option.flag} (command line)")
        elif option.env in environ:
            found[option.flag] = (environ[option.env], f"{option.env} (environment)")
        else:
            ini = config.getini(option.ini)
            if ini not in (None, ""):
                found[option.flag] = (ini, ini_origin(config, option.ini))
    return found


def ini_origin(config: pytest.Config, key: str) -> str:
    """Where ini key `key` was set: `-o` on the command line, or the ini file, by its path."""
    overrides = config.getoption("override_ini", None) or []
    if any(item.split("=", 1)[0] == key for item in overrides):
        return f"{key} (-o on the command line)"
    if config.inipath is None:
        return f"{key} (ini file)"
    try:  # pyproject.toml in the directory pytest was started from stays short; -c elsewhere is shown whole
        where = config.inipath.relative_to(config.invocation_params.dir)
    except ValueError:
        where = config.inipath
    return f"{key} ({where})"


def _without_userinfo(text: str) -> str:
    """`text` as it may be shown: anything between `//` and `@` (user:password) masked."""
    return re.sub(r"(//)[^/?#]*@", r"\1***@", text)


def _url(value: Any) -> str:
    text = str(value).strip()
    shown = _without_userinfo(text)  # no message may echo a password given in the URL
    try:
        parts = urlsplit(text)
    except ValueError as error:
        raise ValueError(f"{shown!r} is not a URL ({error})") from None
    if "@" in parts.netloc:
        raise ValueError(f"{shown!r} carries credentials (user:password@); give them with --auth instead")
    if parts.scheme not in {"http", "https"}:
        raise ValueError(f"{shown!r} is not an http:// or https:// URL")
    if not parts.hostname:
        raise ValueError(f"{shown!r} has no host")
    if parts.query or parts.fragment:
        raise ValueError(f"{shown!r} has a query or fragment; give only scheme, host, port and path prefix")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as error:
        raise ValueError(f"{shown!r} has an invalid port") from error
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise ValueError(f"{shown!r} has whitespace or control characters in it")
    try:  # what httpx refuses (an IDNA host such as xn--a.com) is a usage error here, not a crash later
        httpx.Request("GET", text.rstrip("/") + "/api/REST/2.0/assets/contact/segments")
    except Exception as error:
        raise ValueError(f"{shown!r} cannot be used as a URL: {error}") from None
    return text.rstrip("/")


def _positive_id(text: str) -> int:
    if not text.strip().isdigit() or int(text) <= 0:
        raise ValueError(f"{text!r} is not a positive integer segment id")
    return int(text)


def _number_in(low: float, high: float, unit: str) -> Callable[[Any], float]:
    """A parser of a number from `low` to `high`: nothing overflows a timer or sleeps for years."""

    def parse(text: Any) -> float:
        try:
            value = float(str(text).strip())
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"{text!r} is out of range: give {low:g} to {high:g} {unit}")
        return value

    return parse


def _ca_bundle(text: Any) -> Path:
    path = Path(str(text)).expanduser()
    if not path.is_file():
        raise ValueError(f"{str(text)!r} is not a file")
    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as error:
        raise ValueError(f"{str(text)!r} is not a readable PEM bundle of CA certificates ({error})") from None
    return path


def trust(ca_bundle: Path | None) -> ssl.SSLContext | bool:
    """What httpx verifies the target's certificate with: --ca-bundle, else its default (certifi, SSL_CERT_FILE)."""
    return True if ca_bundle is None else ssl.create_default_context(cafile=str(ca_bundle))


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a boolean (use 1/0, true/false)")


def _requirements(value: Any) -> frozenset[str]:
    """Requirement IDs from a list (repeated flags) or comma-separated text (env, ini)."""
    items = value if isinstance(value, list) else str(value).split(",")
    patterns = tuple(part.strip() for item in items for part in str(item).split(",") if part.strip())
    if not patterns:
        raise ValueError("no requirement ID or area given")
    return select(patterns)


def _credential(text: str) -> Credential:
    try:
        return parse_credential(text)
    except CredentialError as error:
        raise ValueError(str(error)) from None


def _service_class(text: str) -> str:
    module_name, sep, attribute = str(text).partition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"{text!r} is not MODULE:CLASS")
    try:
        service = getattr(importlib.import_module(module_name), attribute)
    except Exception as error:  # whatever importing it raised (ImportError, SyntaxError, ...)
        raise ValueError(f"cannot load {text!r}: {type(error).__name__}: {error}") from None
    from eloqua_conformance.mock import SegmentService

    if not (isinstance(service, type) and issubclass(service, SegmentService)):
        raise ValueError(f"{text!r} is not a SegmentService subclass")
    return str(text)


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "--target-url": _url,
    "--auth": _credential,
    "--forbidden-auth": _credential,
    "--source-segment-id": _positive_id,
    "--fault-injection": _flag,
    "--conformance-strict": _flag,
    "--requirement": _requirements,
    "--skip-requirement": _requirements,
    "--report-dir": lambda text: Path(str(text)),
    "--record-har": _flag,
    "--request-timeout": _number_in(0.01, 3600, "seconds"),
    "--max-rps": _number_in(0.1, 100_000, "requests per second"),
    "--wait-budget": _number_in(0, 3600, "seconds"),
    "--ca-bundle": _ca_bundle,
    "--sweep": _flag,
    "--embedded-service": _service_class,
}


def resolve_settings(config: pytest.Config, environ: dict[str, str]) -> Settings:
    """Validate every option once; a bad value raises pytest.UsageError naming the option and its source."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for flag, (raw, where) in _raw_values(config, environ).items():
        try:
            values[flag] = _PARSERS[flag](raw)
        except ValueError as error:
            raise pytest.UsageError(f"{flag}: bad value from {where}: {error}") from None
        except Exception as error:  # a parser bug must not print the value (it may be a credential)
            raise pytest.UsageError(f"{flag}: bad value from {where}: {type(error).__name__}") from None
        origins[flag] = where
    if "--target-url" in values and "--auth" not in values:
        raise pytest.UsageError(
            f"--auth is required with --target-url (given by {origins['--target-url']}); "
            "set --auth or CONFORMANCE_AUTH to basic:SITE\\USER:PASSWORD or bearer:TOKEN"
        )
    for flag in ("--auth", "--forbidden-auth"):
        if flag in values and "--target-url" not in values:
            raise pytest.UsageError(
                f"{flag} (from {origins[flag]}) needs --target-url: the embedded mock uses its own identities"
            )
    if "--embedded-service" in values and "--target-url" in values:
        raise pytest.UsageError(
            f"--embedded-service (from {origins['--embedded-service']}) is for in-process runs; "
            f"it does not go with --target-url (from {origins['--target-url']})"
        )
    return Settings(
        target_url=values.get("--target-url"),
        auth=values.get("--auth"),
        forbidden_auth=values.get("--forbidden-auth"),
        source_segment_id=values.get("--source-segment-id"),
        fault_injection=values.get("--fault-injection", False),
        strict=values.get("--conformance-strict", False),
        report_dir=values.get("--report-dir", Path("reports")),
        record_har=values.get("--record-har", False),
        request_timeout=values.get("--request-timeout", 10.0),
        max_rps=values.get("--max-rps"),
        wait_budget=values.get("--wait-budget", 120.0),
        ca_bundle=values.get("--ca-bundle"),
        sweep=values.get("--sweep", False),
        embedded_service=values.get("--embedded-service", Settings.embedded_service),
        selected=values.get("--requirement"),
        skipped=values.get("--skip-requirement", frozenset()),
        origins=origins,
    )
