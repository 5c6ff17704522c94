"""PROP: generated copy requests: valid ones pass every copy check of the registry, invalid ones get a 4xx."""

from __future__ import annotations

from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import RequirementFailure, fail

from ._common import DOCUMENTED_4XX, element_dicts, sent_body, status_check, text_of
from .registry import Context, check, copy_checks
from .sem import name_refusal
from .status import no_unrequested_5xx

__all__ = [
    "documented_4xx",
    "invalid_schemathesis_agrees",
    "should_copy_checks",
    "valid_body_copied",
    "valid_schemathesis_agrees",
]


def _allowed_refusal(context: Context, exchange: Exchange) -> bool:
    """A 400 to a schema-valid body that applies a validation Eloqua documents (notes §6) where it can apply."""
    return bool(name_refusal(sent_body(exchange).get("name"), context, exchange)) or _flag_refusal(exchange)


def _flag_refusal(exchange: Exchange) -> bool:
    # BooleanRequirement: "value must be true or false"; isIncluded and isStale are observed as those two strings.
    if exchange.status != 400 or "BooleanRequirement" not in text_of(exchange):
        return False
    sent = sent_body(exchange)
    flags = [sent.get("isStale"), *(element.get("isIncluded") for element in element_dicts(sent))]
    return any(isinstance(flag, str) and flag not in ("true", "false") for flag in flags)


@check("PROP-01")
def valid_body_copied(context: Context, exchange: Exchange | None) -> None:
    """PROP-01: a schema-valid body gets 201 (or a name refusal the contract allows) and passes every MUST copy
    check of the registry."""
    if exchange is not None and _allowed_refusal(context, exchange):
        return
    inner = [no_unrequested_5xx, *(entry.function for entry in copy_checks() if entry.is_must)]
    try:
        for judge in inner:
            judge(context, exchange)
    except RequirementFailure as failure:
        raise fail("PROP-01", failure.expected, f"{failure.requirement_id}: {failure.actual}",
                   *failure.exchanges) from None  # fmt: skip


def should_copy_checks(context: Context, exchange: Exchange) -> None:
    """Every SHOULD copy check of the registry on one generated copy; each fails under its own ID."""
    if _allowed_refusal(context, exchange):
        return
    for entry in copy_checks():
        if not entry.is_must:
            entry.function(context, exchange)


def _schemathesis_agrees(requirement_id: str, context: Context, exchange: Exchange | None) -> None:
    if context.findings:
        raise fail(requirement_id, "nothing found by schemathesis's own checks", "; ".join(context.findings),
                   *(e for e in (exchange,) if e is not None))  # fmt: skip


@check("PROP-01")
def valid_schemathesis_agrees(context: Context, exchange: Exchange | None) -> None:
    """PROP-01: schemathesis's checks (server error, status, content type, response schema) find nothing."""
    _schemathesis_agrees("PROP-01", context, exchange)


documented_4xx = check("PROP-02")(
    status_check("PROP-02", sorted(DOCUMENTED_4XX), "invalid input gets a documented 4xx.", __name__, "documented_4xx")
)


@check("PROP-02")
def invalid_schemathesis_agrees(context: Context, exchange: Exchange | None) -> None:
    """PROP-02: schemathesis's checks (server error, documented status) find nothing."""
    _schemathesis_agrees("PROP-02", context, exchange)
