"""The reference mock's configuration: defaults, seeds, and CLI/environment resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eloqua_conformance.mock import MockConfig, Operation, SegmentService, default_config
from eloqua_conformance.mock.cli import SettingsError, parse_settings
from eloqua_conformance.mock.seed import SeedError, load_seed_file, parse_seed
from eloqua_conformance.mock.spec import load_spec

SEED = [
    {
        "id": "40",
        "name": "from file",
        "folderId": "9",
        "elements": [{"type": "ContactListSegmentElement", "id": "7", "isIncluded": "false", "list": {"id": "3"}}],
    },
    {"id": "41", "name": "bare"},
]


def test_default_config_has_an_admin_a_reader_one_seed_and_faults_on() -> None:
    config = default_config()
    assert [i.can_create for i in config.identities] == [True, False]
    assert all(i.password and i.token for i in config.identities)
    assert len({i.token for i in config.identities}) == len(config.identities)
    assert [s["id"] for s in config.seed_segments] == ["1"]
    assert config.fault_injection is True


def test_seed_ids_decide_where_new_ids_start(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"segments": SEED}))
    service = SegmentService(MockConfig(seed_segments=load_seed_file(path)))
    assert service.segment_ids() == {"40", "41"}
    assert service.next_id() == "42" and service.next_element_id() == "8"
    bare = service.get("41")
    assert bare is not None
    assert bare["type"] == "ContactSegment" and bare["elements"] == [] and bare["createdAt"].isdigit()


@pytest.mark.parametrize(
    "document",
    [
        {"id": "1", "name": "not a list"},
        [{"id": 1, "name": "numeric id"}],
        [{"id": "0", "name": "zero"}],
        [{"id": "1", "name": ""}],
        [{"id": "1", "name": "a"}, {"id": "1", "name": "b"}],
        [{"id": "1", "name": "a", "elements": {}}],
        [{"id": "1", "name": "a", "elements": [{"id": "x"}]}],
    ],
)
def test_bad_seeds_are_refused(document: object) -> None:
    with pytest.raises(SeedError):
        parse_seed(document, "test")


def test_unreadable_seed_file_is_a_seed_error(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{")
    for path in (tmp_path / "bad.json", tmp_path / "missing.json"):
        with pytest.raises(SeedError, match=str(path.name)):
            load_seed_file(path)


def test_defaults_without_flags_or_environment() -> None:
    settings = parse_settings([], {})
    assert (settings.host, settings.port, settings.log_level) == ("127.0.0.1", 8080, "info")
    assert settings.config == default_config()


def test_flags_win_over_environment_over_defaults(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(SEED))
    environ = {
        "ELOQUA_MOCK_PORT": "9000",
        "ELOQUA_MOCK_HOST": "0.0.0.0",
        "ELOQUA_MOCK_ADMIN": "Env\\boss:env-pw",
        "ELOQUA_MOCK_FAULT_INJECTION": "off",
        "ELOQUA_MOCK_NO_SEED": "1",
    }
    settings = parse_settings(["--port", "9100", "--seed-file", str(path)], environ)
    assert (settings.host, settings.port) == ("0.0.0.0", 9100)
    admin = settings.config.identities[0]
    assert (admin.site, admin.user, admin.password, admin.token) == ("Env", "boss", "env-pw", "admin-token")
    assert settings.config.fault_injection is False
    assert [s["id"] for s in settings.config.seed_segments] == ["40", "41"]
    assert parse_settings(["--fault-injection"], environ).config.fault_injection is True
    assert parse_settings([], environ).config.seed_segments == ()


def test_empty_credentials_turn_logins_off() -> None:
    settings = parse_settings(["--reader", "", "--reader-token", "", "--admin", ""], {})
    (admin,) = settings.config.identities
    assert admin.password is None and admin.token == "admin-token"


def test_no_seed_flag_and_seed_file_variable(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(SEED))
    assert parse_settings(["--no-seed"], {"ELOQUA_MOCK_SEED_FILE": str(path)}).config.seed_segments == ()
    assert len(parse_settings([], {"ELOQUA_MOCK_SEED_FILE": str(path)}).config.seed_segments) == 2


@pytest.mark.parametrize(
    ("argv", "environ", "source"),
    [
        ([], {"ELOQUA_MOCK_PORT": "http"}, "ELOQUA_MOCK_PORT"),
        (["--port", "70000"], {}, "--port"),
        (["--admin", "no-site:pw"], {}, "--admin"),
        ([], {"ELOQUA_MOCK_READER": "Site\\user"}, "ELOQUA_MOCK_READER"),
        ([], {"ELOQUA_MOCK_FAULT_INJECTION": "maybe"}, "ELOQUA_MOCK_FAULT_INJECTION"),
        ([], {"ELOQUA_MOCK_NO_SEED": "2"}, "ELOQUA_MOCK_NO_SEED"),
        ([], {"ELOQUA_MOCK_NO_SEED": "1", "ELOQUA_MOCK_SEED_FILE": "x.json"}, "ELOQUA_MOCK_NO_SEED"),
        ([], {"ELOQUA_MOCK_SEED_FILE": "/nonexistent/seed.json"}, "ELOQUA_MOCK_SEED_FILE"),
        (["--seed-file", "/nonexistent/seed.json"], {}, "--seed-file"),
    ],
)
def test_bad_settings_name_their_source(argv: list[str], environ: dict[str, str], source: str) -> None:
    with pytest.raises(SettingsError, match=f"^{source}"):
        parse_settings(argv, environ)


def test_spec_statuses_drive_fault_injection() -> None:
    spec = load_spec()
    assert spec.statuses(Operation.COPY.value) == {201, 400, 401, 403, 404, 500}
    assert spec.statuses(Operation.DELETE.value) == {200, 400, 401, 403, 404, 500}
    assert spec.statuses("NoSuchOperation") == frozenset()
