"""`python -m eloqua_conformance.mock`: settings from flags, then ELOQUA_MOCK_* variables, then defaults."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType

from .config import DEFAULT_ADMIN, DEFAULT_READER, Identity, MockConfig
from .messages import JsonObject
from .routing import API_PREFIX
from .seed import SeedError, default_seed, load_seed_file
from .server import bind, build_server
from .service import SegmentService

__all__ = ["Settings", "SettingsError", "main", "parse_settings"]

_ENV = {
    "host": "ELOQUA_MOCK_HOST",
    "port": "ELOQUA_MOCK_PORT",
    "admin": "ELOQUA_MOCK_ADMIN",
    "admin_token": "ELOQUA_MOCK_ADMIN_TOKEN",
    "reader": "ELOQUA_MOCK_READER",
    "reader_token": "ELOQUA_MOCK_READER_TOKEN",
    "seed_file": "ELOQUA_MOCK_SEED_FILE",
    "no_seed": "ELOQUA_MOCK_NO_SEED",
    "fault_injection": "ELOQUA_MOCK_FAULT_INJECTION",
    "log_level": "ELOQUA_MOCK_LOG_LEVEL",
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_DEFAULTS = {
    "host": "127.0.0.1",
    "port": "8080",
    "admin": f"{DEFAULT_ADMIN.login}:{DEFAULT_ADMIN.password}",
    "admin_token": str(DEFAULT_ADMIN.token),
    "reader": f"{DEFAULT_READER.login}:{DEFAULT_READER.password}",
    "reader_token": str(DEFAULT_READER.token),
    "seed_file": "(none: segment 1, see below)",
    "no_seed": "0",
    "fault_injection": "1",
    "log_level": "info",
}
_EPILOG = "\n".join(
    [
        "Each flag falls back to its environment variable, then to the default:",
        *(f"  --{key.replace('_', '-'):<18}{_ENV[key]:<30}{_DEFAULTS[key]}" for key in _ENV),
        "",
        "Credentials are SITE\\USER:PASSWORD (HTTP Basic, as Eloqua's); an empty value turns one off.",
        "The admin may create, copy and delete; the reader may only read (403 on copy, create, delete).",
        "The default seed is segment 1 (folder 312): an included ContactFilter element 101 and an",
        "excluded ContactList element 102. New segment ids follow the highest seeded id.",
    ]
)


class SettingsError(ValueError):
    """A flag or environment value that cannot be used; the message names its source."""


@dataclass(frozen=True)
class Settings:
    """What the CLI resolved: where to listen, how to log, and the mock's configuration."""

    host: str
    port: int
    log_level: str
    config: MockConfig


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eloqua_conformance.mock",
        description="Serve the reference mock of Eloqua's contact segment API over HTTP.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", help="TCP port; 0 picks a free one (default 8080)")
    parser.add_argument("--admin", metavar="SITE\\USER:PASSWORD", help="full-rights Basic login")
    parser.add_argument("--admin-token", metavar="TOKEN", help="full-rights bearer token")
    parser.add_argument("--reader", metavar="SITE\\USER:PASSWORD", help="read-only Basic login")
    parser.add_argument("--reader-token", metavar="TOKEN", help="read-only bearer token")
    seed = parser.add_mutually_exclusive_group()
    seed.add_argument("--seed-file", metavar="PATH", help="JSON array of segments to start with")
    seed.add_argument("--no-seed", action="store_const", const=True, help="start with no segments")
    parser.add_argument(
        "--fault-injection",
        action=argparse.BooleanOptionalAction,
        help="honour `Prefer: code=NNN` for documented error statuses (default on)",
    )
    parser.add_argument("--log-level", help="uvicorn log level; info prints each request (default info)")
    return parser


def parse_settings(argv: Sequence[str] | None, environ: Mapping[str, str]) -> Settings:
    """Resolve flags over environment over defaults; raises SettingsError naming the bad source."""
    args = vars(_parser().parse_args(argv))

    def pick(key: str, default: str) -> tuple[str, str]:
        flag = "--" + key.replace("_", "-")
        if args.get(key) is not None and not isinstance(args[key], bool):
            return str(args[key]), flag
        if _ENV[key] in environ:
            return environ[_ENV[key]], _ENV[key]
        return default, "default"

    def switch(key: str, default: bool) -> bool:
        if isinstance(args.get(key), bool):
            return bool(args[key])
        raw = environ.get(_ENV[key])
        if raw is None:
            return default
        if raw.strip().lower() not in _TRUE | _FALSE:
            raise SettingsError(f"{_ENV[key]}: expected 1/0, true/false, yes/no or on/off, got {raw!r}")
        return raw.strip().lower() in _TRUE

    port_text, port_source = pick("port", "8080")
    if not port_text.isdigit() or int(port_text) > 65535:
        raise SettingsError(f"{port_source}: expected a port number 0-65535, got {port_text!r}")
    identities = [
        _identity(DEFAULT_ADMIN, pick("admin", _login(DEFAULT_ADMIN)), pick("admin_token", "admin-token")),
        _identity(DEFAULT_READER, pick("reader", _login(DEFAULT_READER)), pick("reader_token", "reader-token")),
    ]
    config = MockConfig(
        identities=tuple(i for i in identities if i is not None),
        seed_segments=_seeds(args, environ),
        fault_injection=switch("fault_injection", True),
    )
    return Settings(pick("host", "127.0.0.1")[0], int(port_text), pick("log_level", "info")[0].lower(), config)


def _seeds(args: Mapping[str, object], environ: Mapping[str, str]) -> tuple[JsonObject, ...]:
    """The seed segments: a flag decides; else the environment (not both variables); else the default."""
    if args.get("no_seed"):
        return ()
    if args.get("seed_file"):
        return _load(str(args["seed_file"]), "--seed-file")
    no_seed, seed_file = environ.get(_ENV["no_seed"], ""), environ.get(_ENV["seed_file"], "")
    if no_seed.strip().lower() not in _TRUE | _FALSE:
        raise SettingsError(f"{_ENV['no_seed']}: expected 1/0, true/false, yes/no or on/off, got {no_seed!r}")
    if no_seed.strip().lower() in _TRUE:
        if seed_file:
            raise SettingsError(f"{_ENV['no_seed']} and {_ENV['seed_file']} are both set; unset one")
        return ()
    return _load(seed_file, _ENV["seed_file"]) if seed_file else default_seed()


def _load(path: str, source: str) -> tuple[JsonObject, ...]:
    try:
        return load_seed_file(Path(path))
    except SeedError as exc:
        raise SettingsError(f"{source}: {exc}") from exc


def _login(identity: Identity) -> str:
    return f"{identity.login}:{identity.password}"


def _identity(base: Identity, login: tuple[str, str], token: tuple[str, str]) -> Identity | None:
    """`base` with the given credentials; None when both are turned off."""
    text, source = login
    password: str | None = None
    site, user = base.site, base.user
    if text:
        user_part, colon, password = text.partition(":")
        site, backslash, user = user_part.partition("\\")
        if not colon or not backslash or not site or not user:
            raise SettingsError(f"{source}: expected SITE\\USER:PASSWORD, got {text!r}")
    if password is None and not token[0]:
        return None
    return replace(base, site=site, user=user, password=password, token=token[0] or None)


def _banner(settings: Settings, url: str) -> str:
    config = settings.config
    lines = [
        f"Eloqua reference mock listening on {url}",
        f"  copy: POST {url}{API_PREFIX}/assets/contact/segment/{{id}}/copy",
        f"  fault injection {'on' if config.fault_injection else 'off'}; "
        f"seeded segments: {', '.join(s['id'] for s in config.seed_segments) or 'none'}",
    ]
    for identity in config.identities:
        rights = "may create, copy, delete" if identity.can_create else "read-only"
        basic = f"Basic {identity.login}:{identity.password}" if identity.password is not None else "no Basic"
        bearer = f"Bearer {identity.token}" if identity.token is not None else "no bearer"
        lines.append(f"  {identity.user} ({rights}): {basic} | {bearer}")
    lines.append("  Ctrl-C or SIGTERM stops it.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until interrupted; 0 on a clean stop, 2 on bad settings."""
    try:
        settings = parse_settings(argv, os.environ)
        sock = bind(settings.host, settings.port)
    except (SettingsError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # Access lines are what a person watching curl wants; quieter levels drop them too.
    access_log = settings.log_level in ("debug", "trace", "info")
    server = build_server(SegmentService(settings.config), settings.log_level, access_log)

    def stop(signum: int, frame: FrameType | None) -> None:
        # uvicorn installs its own handlers while serving and re-raises the signal after its
        # graceful shutdown; landing here then, rather than in the defaults, makes the exit clean.
        server.should_exit = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    host, port = sock.getsockname()[:2]
    url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    print(_banner(settings, url), flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    print("Eloqua reference mock stopped.", flush=True)
    return 0
