"""Broken variants of the reference mock: each overrides one decision and declares the IDs it violates.

`violates` is the exact set of requirements the suite reports as failed (fail or error) in strict mode,
collateral included; tests/test_variants_caught.py runs the suite against each one. Use one with
`eloqua-conformance --strict --embedded-service=eloqua_conformance.mock.variants:Permissive`.
"""

from __future__ import annotations

from ..service import SegmentService
from .access import (
    AnonymousIsReader,
    AnyBearerTokenIsAdmin,
    BadBase64Is400,
    ForbiddenCopyStillWritten,
    PasswordNotChecked,
    PathCheckedBeforeCredentials,
    Permissive,
    UnknownUserIsAdmin,
)
from .requests import (
    AbsoluteValueIds,
    DeleteKeepsSegment,
    IdNotValidated,
    IgnoresContentType,
    LenientJsonParser,
    NoSchemaValidation,
    NullBodyIsEmpty,
    RejectsUnknownProperties,
    SixDigitIds,
    UntypedValidationErrors,
)
from .robustness import (
    ControlCharacterCrash,
    CrashesWithoutName,
    ElementFieldNotValidated,
    LongNameCrash,
    StaleIdCounter,
    TemplateIdCrash,
)
from .semantics import (
    CopyOfCopyHasNoElements,
    DropsExcludedElements,
    EmptyDefaultName,
    FaultAfterWrite,
    HtmlNotFoundPage,
    IgnoresPrefer,
    RetrieveReordersElements,
    SharedElementsRenumberSource,
    TrimsName,
)
from .shape import (
    DepthFull,
    ElementIdsNotDecimal,
    FolderIdAsNumber,
    HonoursFolderId,
    HonoursPermissions,
    IsIncludedPythonBooleans,
    MillisecondTimestamps,
    TypeMissing,
)

__all__ = ["PROPERTY_ONLY", "VARIANTS", "violations"]

VARIANTS: dict[str, type[SegmentService]] = {
    cls.__name__: cls
    for cls in (
        # SHAPE, RO
        FolderIdAsNumber, TypeMissing, ElementIdsNotDecimal, MillisecondTimestamps,
        IsIncludedPythonBooleans, DepthFull, HonoursFolderId, HonoursPermissions,
        # AUTHN, AUTHZ
        AnonymousIsReader, PasswordNotChecked, UnknownUserIsAdmin, AnyBearerTokenIsAdmin, BadBase64Is400,
        PathCheckedBeforeCredentials, Permissive, ForbiddenCopyStillWritten,
        # NOTFOUND, VALID
        SixDigitIds, DeleteKeepsSegment, LenientJsonParser, NullBodyIsEmpty, NoSchemaValidation, IdNotValidated,
        UntypedValidationErrors, AbsoluteValueIds, IgnoresContentType, RejectsUnknownProperties,
        # SEM, STATE, STATUS, FAULT
        SharedElementsRenumberSource, TrimsName, EmptyDefaultName, DropsExcludedElements, RetrieveReordersElements,
        CopyOfCopyHasNoElements, HtmlNotFoundPage, IgnoresPrefer, FaultAfterWrite,
        # crashes and volume
        ControlCharacterCrash, LongNameCrash, CrashesWithoutName, TemplateIdCrash, ElementFieldNotValidated,
        StaleIdCounter,
    )
}  # fmt: skip

# Found only by the property-based tests (schemathesis bodies, the state machine, their volume).
PROPERTY_ONLY = frozenset({"ControlCharacterCrash", "TemplateIdCrash", "ElementFieldNotValidated", "StaleIdCounter"})


def violations(name: str) -> frozenset[str]:
    """The requirement IDs variant `name` declares it violates."""
    return frozenset(getattr(VARIANTS[name], "violates", ()))
