"""Plain `schemathesis run` versus this suite, on every variant of the reference mock, broken and legitimate.

Run from the project root:  python -m benchmarks.compare_with_schemathesis [--only NAME,...] [--output PATH]

For each variant (and the reference mock) schemathesis runs against the variant served on loopback, with all its
checks, the same spec, the admin's credentials, the same example budget and seed, limited to the copy operation;
the suite runs in-process against the same class (strict, as tests/test_variants_caught.py runs it).
A broken variant counts as caught by schemathesis when it reports a failure kind it does not report for the
reference; a legitimate one counts as accepted when it reports none. The suite catches a broken variant when it
exits 1 with requirements failed, and accepts a legitimate one when it certifies it (exit 0, nothing failed).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eloqua_conformance.mock import SegmentService, default_config, running_server
from eloqua_conformance.mock.config import DEFAULT_ADMIN
from eloqua_conformance.mock.variants import LEGITIMATE, PROPERTY_ONLY, VARIANTS, allows, violations
from eloqua_conformance.mock.variants.verify import REFERENCE, ROOT, SEED, run_suite

COPY_OPERATION = "CreateCopyPOSTRest20"
MAX_EXAMPLES = 30  # the suite's default `ci` profile: 30 examples per property test
_FAILURE_LINE = re.compile(r"^\s*❌ (.+): (\d+)$")
_GENERATED = re.compile(r"^\s*(\d+) generated", re.MULTILINE)


@dataclass(frozen=True)
class ToolRun:
    """What one tool said about one server."""

    exit_code: int
    flagged: dict[str, int]  # failure kind (schemathesis) or requirement ID (suite) -> count
    seconds: float
    requests: int | None  # test cases schemathesis generated, or requests the suite sent


def schemathesis_command(url: str, seed: int, max_examples: int) -> list[str]:
    """`schemathesis run` on the copy operation only, every check, the admin's Basic credentials."""
    return [
        "schemathesis", "run", "spec/openapi.yaml", "--url", url,
        "-H", f"Authorization: {DEFAULT_ADMIN.basic_authorization()}",
        "--checks", "all", "--max-examples", str(max_examples), "--include-operation-id", COPY_OPERATION,
        "--seed", str(seed), "--generation-database", "none", "--no-color",
    ]  # fmt: skip


def _failure_kinds(output: str) -> dict[str, int]:
    """The SUMMARY's `Failures:` lines, e.g. {"ST202 Schema-valid request rejected": 1}."""
    summary = output.rsplit("SUMMARY", 1)[-1]
    return {match[1]: int(match[2]) for line in summary.splitlines() if (match := _FAILURE_LINE.match(line))}


def run_schemathesis(service: SegmentService, seed: int, max_examples: int) -> ToolRun:
    with running_server(service) as url:
        started = time.monotonic()
        result = subprocess.run(schemathesis_command(url, seed, max_examples), cwd=ROOT, capture_output=True,
                                text=True, timeout=600, check=False)  # fmt: skip
        seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    flagged = _failure_kinds(output) or ({f"exit {result.returncode}": 1} if result.returncode else {})
    generated = _GENERATED.search(output)
    return ToolRun(result.returncode, flagged, seconds, int(generated[1]) if generated else None)


def run_ours(service: str, seed: int) -> ToolRun:
    with tempfile.TemporaryDirectory() as report_dir:
        run = run_suite(service, Path(report_dir), seed)
        sent = _requests_sent(Path(report_dir) / "conformance.json")
    return ToolRun(run.returncode, dict.fromkeys(sorted(run.failed), 1), run.seconds, sent)


def _requests_sent(report: Path) -> int | None:
    if not report.is_file():  # written by eloqua_conformance.report; absent in older checkouts
        return None
    total = json.loads(report.read_text(encoding="utf-8")).get("requests", {}).get("total")
    return total if isinstance(total, int) else None


def _cell(flagged: dict[str, int], baseline: dict[str, int]) -> str:
    new = [f"{kind} x{count}" for kind, count in flagged.items() if kind not in baseline]
    if new:
        return "yes: " + "; ".join(new)
    return "no (only what it flags on the reference)" if flagged else "no (nothing flagged)"


Results = dict[str, tuple[ToolRun, ToolRun]]


def _legitimate_rows(results: Results, baseline: dict[str, int]) -> tuple[list[str], int, int]:
    """One row per legitimate variant, and how many each tool accepted."""
    rows, st_accepted, our_accepted = [], 0, 0
    for name, (st, ours) in results.items():
        if name not in LEGITIMATE:
            continue
        st_ok, our_ok = not set(st.flagged) - set(baseline), ours.exit_code == 0 and not ours.flagged
        st_accepted, our_accepted = st_accepted + st_ok, our_accepted + our_ok
        st_cell = "yes" if st_ok else "no: " + _cell(st.flagged, baseline).removeprefix("yes: ")
        our_cell = "yes (certified)" if our_ok else f"no: {', '.join(ours.flagged) or f'exit {ours.exit_code}'}"
        rows.append(f"| `{name}` | {allows(name)} | {st_cell} | {our_cell} | {st.seconds:.1f} | {ours.seconds:.1f} |")
    return rows, st_accepted, our_accepted


def render(results: dict[str, tuple[ToolRun, ToolRun]], command: str, seed: int, max_examples: int) -> str:
    """The Markdown page: one row per variant, then the totals."""
    reference_st, reference_ours = results["reference"]
    legitimate, st_accepted, our_accepted = _legitimate_rows(results, reference_st.flagged)
    rows, st_caught, our_caught = [], 0, 0
    for name, (st, ours) in results.items():
        if name == "reference" or name in LEGITIMATE:
            continue
        st_yes = bool(set(st.flagged) - set(reference_st.flagged))
        our_yes = ours.exit_code == 1 and bool(ours.flagged)
        st_caught, our_caught = st_caught + st_yes, our_caught + our_yes
        kind = " (PBT only)" if name in PROPERTY_ONLY else ""
        declared = ", ".join(sorted(violations(name)))
        rows.append(f"| `{name}`{kind} | {declared} | {_cell(st.flagged, reference_st.flagged)} "
                    f"| {'yes' if our_yes else 'no'}: {', '.join(ours.flagged) or 'nothing'} | {st.requests} "
                    f"| {ours.requests} | {st.seconds:.1f} | {ours.seconds:.1f} |")  # fmt: skip
    total, fair = len(rows), len(legitimate)
    st_time = sum(st.seconds for st, _ in results.values())
    our_time = sum(ours.seconds for _, ours in results.values())
    return "\n".join([
        "# Broken and legitimate variants: plain schemathesis versus this suite",
        "",
        f"Made by `{command}`, run from the project root on the 2-core development machine (other work was",
        f"running on it, so times are indicative). Seed {seed} for both tools; {max_examples} examples per property",
        "test (the suite's `ci` profile) and per operation (`--max-examples`).",
        "",
        "schemathesis, per variant served on loopback by `eloqua_conformance.mock.running_server`:",
        "",
        "```",
        shlex.join(schemathesis_command("http://127.0.0.1:PORT", seed, max_examples)).replace(
            DEFAULT_ADMIN.basic_authorization() or "", "Basic <admin>"),
        "```",
        "",
        "The suite, in-process against the same class:",
        "",
        "```",
        "python -m pytest -q eloqua_conformance/suite -p no:cacheprovider --conformance-strict "
        f"--embedded-service=eloqua_conformance.mock.variants:NAME --report-dir=DIR --hypothesis-seed={seed}",
        "```",
        "",
        "A broken variant counts as caught by schemathesis when it reports a failure kind it does not report for the",
        "reference mock, and by the suite when it exits 1 with requirements failed. A legitimate variant (a choice",
        "the contract leaves open, docs/contract-audit.md) counts as accepted by schemathesis when it reports no such",
        "new kind, and by the suite when it is certified under --strict.",
        "",
        f"**Reference mock:** schemathesis exit {reference_st.exit_code}, flagged "
        f"{', '.join(f'{k} x{n}' for k, n in reference_st.flagged.items()) or 'nothing'} in "
        f"{reference_st.seconds:.1f} s (false positives); the suite exit "
        f"{reference_ours.exit_code}, failed {', '.join(reference_ours.flagged) or 'nothing'} in "
        f"{reference_ours.seconds:.1f} s.",
        "",
        "| variant | declared IDs | caught by schemathesis alone | caught by the suite (IDs failed) "
        "| schemathesis cases | suite requests | schemathesis s | suite s |",
        "|---|---|---|---|---:|---:|---:|---:|",
        *rows,
        f"| **total** ({total} variants) | | **{st_caught}/{total}** | **{our_caught}/{total}** | | "
        f"| {st_time:.0f} | {our_time:.0f} |",
        "",
        "## Legitimate variants: accepted?",
        "",
        "| variant | its choice (where the notes leave it open) | accepted by schemathesis alone "
        "| accepted by the suite | schemathesis s | suite s |",
        "|---|---|---|---|---:|---:|",
        *legitimate,
        f"| **total** ({fair} variants) | | **{st_accepted}/{fair}** | **{our_accepted}/{fair}** | | |",
        "",
        "Times are wall seconds per run, start-up included (about 4-5 s of each suite run); totals include the",
        "reference runs. `--max-examples` does not bound schemathesis's coverage phase, which generates its own",
        "boundary cases, so its case counts exceed 30.",
        "",
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated variant names (default: all)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.md")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--max-examples", type=int, default=MAX_EXAMPLES)
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # the variants' deliberate crashes and uvicorn's warnings are expected noise
    names = args.only.split(",") if args.only else [*VARIANTS, *LEGITIMATE]
    results: dict[str, tuple[ToolRun, ToolRun]] = {}
    for name in ["reference", *names]:
        cls = SegmentService if name == "reference" else {**VARIANTS, **LEGITIMATE}[name]
        module = "eloqua_conformance.mock.variants" + (".legitimate" if name in LEGITIMATE else "")
        service = REFERENCE if name == "reference" else f"{module}:{name}"
        results[name] = (run_schemathesis(cls(default_config()), args.seed, args.max_examples),
                         run_ours(service, args.seed))  # fmt: skip
        st, ours = results[name]
        print(f"{name:30} schemathesis {sorted(st.flagged)} {st.seconds:.1f}s | "
              f"suite {sorted(ours.flagged)} {ours.seconds:.1f}s", flush=True)  # fmt: skip
    given = shlex.join(sys.argv[1:] if argv is None else argv)
    command = f"python -m benchmarks.compare_with_schemathesis {given}".strip()
    args.output.write_text(render(results, command, args.seed, args.max_examples), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
