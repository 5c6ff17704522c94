"""junit.xml: one testsuite per catalogue area, one testcase per requirement."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .text import xml_safe

__all__ = ["failure_text", "render_junit"]

# JUnit has no "not exercised": CI viewers show skipped, which is what it is to a reader.
_ELEMENT = {"fail": "failure", "error": "error", "not-exercised": "skipped", "not-selected": "skipped"}


def render_junit(report: dict[str, Any]) -> str:
    """The JUnit XML document; a requirement's failures become one <failure> carrying all their evidence."""
    requirements = report["requirements"]
    root = ET.Element("testsuites", {"name": "eloqua-conformance", **_tally(requirements)})
    root.set("time", f"{report['duration_seconds']:.3f}")
    if report["untestable"] or report["cut_short"]:
        _run_case(root, report)
    for area in report["areas"]:
        members = [entry for entry in requirements if entry["area"] == area["code"]]
        suite = ET.SubElement(root, "testsuite", {"name": f"{area['code']}: {area['title']}", **_tally(members)})
        suite.set("timestamp", report["started_at"])
        suite.set("time", "0")
        _properties(ET.SubElement(suite, "properties"), report)
        for entry in members:
            _testcase(suite, entry)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _run_case(root: ET.Element, report: dict[str, Any]) -> None:
    """A run that could not test the target, or was cut short, is an error CI shows: one suite of one case."""
    suite = ET.SubElement(root, "testsuite", {"name": "RUN: the conformance run", "tests": "1", "failures": "0",
                                              "errors": "1", "skipped": "0"})  # fmt: skip
    suite.set("timestamp", report["started_at"])
    suite.set("time", f"{report['duration_seconds']:.3f}")
    case = ET.SubElement(suite, "testcase", name="the run tested the target to the end",
                         classname="eloqua_conformance.RUN", time="0")  # fmt: skip
    reason = report["untestable"] or report["cut_short"]
    kind = "untestable" if report["untestable"] else "cut short"
    error = ET.SubElement(case, "error", message=xml_safe(f"{kind}: {reason}"), type=kind)
    error.text = xml_safe("\n".join(f"{name}: {report[key]}" for name, key in
                                      (("untestable", "untestable"), ("cut short", "cut_short")) if report[key]))
    for key in ("tests", "errors"):
        root.set(key, str(int(root.get(key, "0")) + 1))


def failure_text(entry: dict[str, Any]) -> str:
    """Every failure and error of a requirement as plain text: test, expected, actual, curl lines."""
    lines: list[str] = []
    for failure in entry["failures"]:
        lines += [failure["test"], f"  expected: {failure['expected']}", f"  actual:   {failure['actual']}"]
        for exchange in failure["exchanges"]:
            lines.append(f"  reproduce: {exchange['curl']}")
            lines += [f"    {exchange['reproduce_note']}"] if exchange["reproduce_note"] else []
    for error in entry["errors"]:
        lines += [error["test"], f"  {error['message']}"]
    return "\n".join(lines)


def _tally(entries: list[dict[str, Any]]) -> dict[str, str]:
    def count(outcome: str) -> str:
        return str(sum(entry["outcome"] == outcome for entry in entries))

    return {"tests": str(len(entries)), "failures": count("fail"), "errors": count("error"),
            "skipped": str(int(count("not-exercised")) + int(count("not-selected")))}  # fmt: skip


def _properties(element: ET.Element, report: dict[str, Any]) -> None:
    values = {
        "verdict": report["verdict"],
        "suite-version": report["suite"]["version"],
        "target": report["target"]["url"] or report["target"]["label"],
        "hypothesis-seed": str(report["hypothesis"]["seed"]),
        "strict": str(report["strict"]).lower(),
        "untestable": report["untestable"] or "",
        "cut-short": report["cut_short"] or "",
        "left-behind": ", ".join(report["left_behind"]),
    }
    for name, value in values.items():
        ET.SubElement(element, "property", name=name, value=xml_safe(value))


def _testcase(suite: ET.Element, entry: dict[str, Any]) -> None:
    name = xml_safe(f"{entry['id']} ({entry['level']}) {entry['title']}")
    case = ET.SubElement(suite, "testcase", name=name, classname=f"eloqua_conformance.{entry['area']}", time="0")
    tag = _ELEMENT.get(entry["outcome"])
    if tag is None:
        return
    result = ET.SubElement(case, tag, message=xml_safe(entry["reason"] or entry["outcome"]))
    if tag != "skipped":
        result.set("type", f"{entry['level']} {entry['outcome']}")
        result.text = xml_safe(failure_text(entry))
