"""The report of one run as a JSON-ready dict, the one source every report file is rendered from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from eloqua_conformance import __version__
from eloqua_conformance.catalogue import area_titles
from eloqua_conformance.client import Recorder
from eloqua_conformance.resources import CATALOGUE, OPENAPI, sha256
from eloqua_conformance.run import Cleanup, Run, redactor_for
from eloqua_conformance.settings import OPTIONS, Settings
from eloqua_conformance.verdicts import OUTCOMES, Ledger, RequirementResult

from .evidence import exchange_evidence
from .text import encodable

__all__ = ["FORMAT", "MAX_EXCHANGES", "OUTCOMES", "build_report", "verdict_meaning"]

FORMAT = "eloqua-conformance-report/1"
MAX_EXCHANGES = 3  # exchanges kept per failure


def build_report(
    ledger: Ledger,
    run: Run | None,
    *,
    started: datetime,
    duration: float,
    seed: int | None,
    profile: str,
    settings: Settings | None = None,
    untestable: str | None = None,
    cut_short: str | None = None,
) -> dict[str, Any]:
    """Everything the run established, with every known secret masked in every string.

    `run` is None when the run never opened one (nothing selected, or it stopped before its first test);
    `untestable` is why the target could not be tested (the verdict is then `untestable`); `cut_short` is
    why the run stopped before running every selected test.
    """
    settings = run.settings if run is not None else settings
    assert settings is not None, "build_report needs the run or its settings"
    redact = run.redact if run is not None else redactor_for(settings)
    results = ledger.results()
    verdict = "untestable" if untestable else ledger.verdict(settings.strict)
    if cut_short and verdict == "certified":
        verdict = "conformant-partial"
    cleanup = run.cleanup if run is not None else Cleanup(checked="no run was opened")
    left_behind = list(run.left_behind) if run is not None else []
    report = {
        "format": FORMAT,
        "suite": {"name": "eloqua-conformance", "version": __version__},
        "spec": {"openapi": _file(OPENAPI), "catalogue": _file(CATALOGUE)},
        "target": {
            "url": settings.target_url,
            "label": run.target_label if run is not None else _label(settings),
            "embedded_service": settings.embedded_service if settings.embedded else None,
        },
        "options": _options(settings),
        "hypothesis": {"profile": profile, "seed": seed},
        "started_at": started.isoformat(timespec="seconds"),
        "duration_seconds": round(duration, 3),
        "requests": _requests(run.recorder if run is not None else Recorder()),
        "verdict": verdict,
        "untestable": untestable or None,
        "cut_short": cut_short or None,
        "strict": settings.strict,
        "counts": {outcome: sum(result.outcome == outcome for result in results) for outcome in OUTCOMES},
        "unattributed_failures": list(ledger.unattributed),
        "left_out": list(ledger.left_out),
        "left_behind": left_behind,
        "cleanup": {
            "created": cleanup.created,
            "deleted": cleanup.deleted,
            "left_behind": left_behind,
            "checked": cleanup.checked,
        },
        "areas": [{"code": code, "title": title} for code, title in area_titles().items()],
        "requirements": [_requirement(result, redact, cut_short, _deleted(run)) for result in results],
    }
    # One pass over every string, so no writer and no future field can forget the masking.
    return _clean(report, redact)  # type: ignore[no-any-return]


def _label(settings: Settings) -> str:
    return settings.target_url or "embedded reference mock (in-process)"


def verdict_meaning(verdict: str, strict: bool) -> str:
    """One sentence saying what the verdict means under this run's level."""
    gating = "MUST and SHOULD" if strict else "MUST"
    return {
        "certified": f"Every {gating} requirement was exercised and passed.",
        "conformant-partial": f"No {gating} requirement failed, but some were not exercised or not selected.",
        "not-conformant": f"At least one {gating} requirement failed.",
        "untestable": "The target could not be tested, so the run reached no verdict on its conformance.",
    }.get(verdict, verdict)


def _file(name: str) -> dict[str, str]:
    return {"path": f"spec/{name}", "sha256": sha256(name)}


def _options(settings: Settings) -> dict[str, dict[str, Any]]:
    options: dict[str, dict[str, Any]] = {}
    for option in OPTIONS:
        value = getattr(settings, option.attribute)
        if hasattr(value, "describe"):
            value = value.describe()  # a Credential: who, never the secret
        elif isinstance(value, Path):
            value = str(value)
        elif isinstance(value, frozenset):
            value = sorted(value)
        source = settings.origins.get(option.flag, "default")
        if option.flag == "--fault-injection" and settings.embedded and option.flag not in settings.origins:
            source = "default (the embedded mock honours Prefer)"
        options[option.flag] = {"value": value, "source": source}
    return options


def _requests(recorder: Recorder) -> dict[str, Any]:
    counts = recorder.status_counts()
    by_status = {str(status) if status else "no-response": counts[status] for status in sorted(counts)}
    return {"total": sum(counts.values()), "by_status": by_status}


def _deleted(run: Run | None) -> frozenset[str]:
    """Ids of segments this run created and then deleted: a reproduce line naming one meets a 404 now."""
    if run is None:
        return frozenset()
    return frozenset(run.recorder.ever_created) - set(run.recorder.created_ids())


def _requirement(
    result: RequirementResult, redact: Callable[[str], str], cut_short: str | None, deleted: frozenset[str]
) -> dict[str, Any]:
    entry = result.requirement
    reason = None if result.outcome == "pass" else result.reason() or None
    if cut_short and result.outcome == "not-exercised" and not result.tests:
        reason = "not reached: the run was cut short"
    return {
        "id": entry.id,
        "level": entry.level,
        "area": entry.area,
        "title": entry.title,
        "outcome": result.outcome,
        "reason": reason,
        "tests": _tests(result),
        "failures": [
            {
                "test": nodeid,
                "expected": failure.expected,
                "actual": failure.actual,
                "exchanges": [exchange_evidence(e, redact, deleted) for e in failure.exchanges[:MAX_EXCHANGES]],
                "exchanges_total": len(failure.exchanges),
            }
            for nodeid, failure in result.failures
        ],
        "errors": [{"test": nodeid, "message": message} for nodeid, message in result.errors],
    }


def _tests(result: RequirementResult) -> list[dict[str, str]]:
    """Each test that took part, once per outcome it had."""
    pairs = [(nodeid, "pass") for nodeid in result.passed]
    pairs += [(nodeid, "fail") for nodeid, _ in result.failures]
    pairs += [(nodeid, "error") for nodeid, _ in result.errors]
    pairs += [(nodeid, "not-exercised") for nodeid, _ in result.not_exercised]
    return [{"test": nodeid, "outcome": outcome} for nodeid, outcome in dict.fromkeys(pairs)]


def _clean(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return encodable(redact(value))
    if isinstance(value, dict):
        return {_clean(key, redact): _clean(item, redact) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item, redact) for item in value]
    return value
