"""Secrets: distinctive credentials never appear in anything a run writes, not even base64-encoded."""

import base64
import binascii
import re
from functools import partial

import pytest
from _live import SUBSET, run_suite, side_by_side

from eloqua_conformance.mock import Identity, MockConfig, running_server
from eloqua_conformance.mock.variants.authn import PasswordNotChecked

ADMIN = Identity(site="Zq9Site", user="ops.auditor", password="Pw-zq9-7f3a9c41e2", token="Tk-zq9-51b2e8d4c7a6",
                 can_create=True, user_id="901", display_name="Zq9 Auditor")  # fmt: skip
READER = Identity(site="Zq9Site", user="ops.viewer", password="Pw-zq9-88d1b0c3f5", token="Tk-zq9-2c4f6a9e1d3b",
                  can_create=False, user_id="902", display_name="Zq9 Viewer")  # fmt: skip
PASSWORDS = (ADMIN.password, READER.password)
SECRETS = (*PASSWORDS, ADMIN.token, READER.token,
           *(identity.basic_authorization().split(" ", 1)[1] for identity in (ADMIN, READER)))  # fmt: skip
_BASE64 = re.compile(r"[A-Za-z0-9+/]{12,}={0,2}")


class LaxAndRenaming(PasswordNotChecked):
    """Breaks AUTHN-02 (a known user's wrong password is accepted) and SEM-02 (the copy's name is ignored)."""

    def copy_name(self, source, body):
        return f"Copy of {source.get('name', '')}"


def _leaks(text):
    """Every secret in `text`, also inside base64 (a wrong password's Basic header decodes to the real one)."""
    found = [secret for secret in SECRETS if secret in text]
    for token in _BASE64.findall(text):
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4)).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            continue
        found += [f"{password} in base64 {token}" for password in PASSWORDS if password in decoded]
    return found


# Basic credentials on the command line, bearer tokens in the environment: both ways in are covered.
_GIVEN = {
    "basic": ([f"--auth=basic:{ADMIN.login}:{ADMIN.password}",
               f"--forbidden-auth=basic:{READER.login}:{READER.password}"], {}),
    "bearer": ([], {"CONFORMANCE_AUTH": f"bearer:{ADMIN.token}",
                    "CONFORMANCE_FORBIDDEN_AUTH": f"bearer:{READER.token}"}),
}  # fmt: skip


def _run(reports, scheme):
    args, env = _GIVEN[scheme]
    with running_server(LaxAndRenaming(MockConfig(identities=(ADMIN, READER)))) as url:
        # --strict: SEM-02 is a SHOULD, and the bearer run has no other failure.
        return run_suite("--target-url", url, *args, "--conformance-strict", f"--report-dir={reports}", *SUBSET,
                         "eloqua_conformance/suite/test_authz.py", env=env)  # fmt: skip


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    reports = {scheme: tmp_path_factory.mktemp(scheme) / "reports" for scheme in _GIVEN}
    with side_by_side({scheme: partial(_run, reports[scheme], scheme) for scheme in _GIVEN}) as futures:
        yield {scheme: (future, reports[scheme]) for scheme, future in futures.items()}


@pytest.mark.parametrize("scheme", list(_GIVEN))
def test_credentials_are_masked_in_every_output(runs, scheme):
    future, reports = runs[scheme]
    result = future.result()
    assert result.returncode == 1, result.tail()
    # The failures this server provokes are there, with their curl lines and masked credentials.
    assert "FAIL           SEM-02 (SHOULD)" in result.stdout and "reproduce: curl" in result.stdout
    if scheme == "basic":
        # Its wrong password is derived from the real credential in the shell, never printed.
        assert "FAIL           AUTHN-02 (MUST)" in result.stdout and 'curl -u "${ELOQUA_AUTH}"-wrong' in result.stdout
    else:  # the run's own token: taken from the environment by the curl line, never printed
        assert 'curl -H "Authorization: Bearer $ELOQUA_TOKEN"' in result.stdout
    outputs = {"stdout": result.stdout, "stderr": result.stderr}
    outputs |= {str(path): path.read_text("utf-8", "replace") for path in reports.rglob("*") if path.is_file()}
    assert len(outputs) >= 4, f"expected the report files too, got {sorted(outputs)}"
    leaks = {name: found for name, text in outputs.items() if (found := _leaks(text))}
    assert not leaks
