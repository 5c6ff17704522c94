"""Variants of the reference mock: broken ones, each overriding one decision and declaring the IDs it violates,
and legitimate ones (legitimate.py), each making a choice the contract leaves open.

Modules are named after the catalogue areas, like the checks and the conformance tests. `violates` is the exact
set of requirements the suite reports as failed (fail or error) in strict mode, collateral included;
tests/test_variants_caught.py runs the suite against each broken one. Use one with
`eloqua-conformance --strict --embedded-service=eloqua_conformance.mock.variants:Permissive`.
"""

from __future__ import annotations

from ..service import SegmentService
from .authn import (
    AnonymousIsReader,
    AnyBearerTokenIsAdmin,
    BadBase64Is400,
    PasswordCaseInsensitive,
    PasswordNotChecked,
    PathCheckedBeforeCredentials,
    SiteNotChecked,
    UnknownUserIsAdmin,
    UserNotChecked,
    WrongPasswordCopyWritten,
)
from .authz import ForbiddenCopyStillWritten, ForbiddenCopyStoredAsCopyOf, Permissive
from .fault import FaultAfterWrite, IgnoresPrefer
from .legitimate import LEGITIMATE, allows
from .notfound import DeleteKeepsSegment, MissingSourceCreatesSegment, SixDigitIds
from .prop import ControlCharacterCrash, ElementFieldNotValidated, TemplateIdCrash
from .ro import HonoursDepth, HonoursFolderId, HonoursPermissions, HonoursServerSetNames
from .sem import (
    CopiesSharedLists,
    CrashesWithoutName,
    CriteriaRenumberedStatementNot,
    DropsExcludedElements,
    DropsFilterCriteria,
    EmptyDefaultName,
    LongNameCrash,
    SharedElementsRenumberSource,
    TrimsName,
    TruncatesLongNames,
)
from .shape import (
    CreatorIsServiceAccount,
    DepthFull,
    DuplicateElementIds,
    ElementIdsNotDecimal,
    FolderIdAsNumber,
    IsIncludedPythonBooleans,
    MillisecondTimestamps,
    RequiresJsonAccept,
    SkewedTimestamps,
    StaleIdCounter,
    TypeMissing,
)
from .state import (
    CascadeDeletesCopies,
    CopyOfCopyHasNoElements,
    RacyIdCounter,
    RetrieveReordersElements,
    StoredWithoutFolder,
)
from .status import HtmlNotFoundPage, TracebackInNotFound
from .valid import (
    AbsoluteValueIds,
    CaseSensitivePath,
    EmptyBodyIsEmptyObject,
    IdNotValidated,
    IgnoresContentType,
    InvalidBodyStillWritten,
    LeadingDigitsId,
    LenientJsonParser,
    NanAccepted,
    NoSchemaValidation,
    NullBodyIsEmpty,
    NullMeansAbsent,
    RefusesCharsetParameter,
    RejectsUnknownProperties,
    TrailingDataIgnored,
    UntypedValidationErrors,
)

__all__ = ["LEGITIMATE", "PROPERTY_ONLY", "VARIANTS", "allows", "as_declared", "violations"]

VARIANTS: dict[str, type[SegmentService]] = {
    cls.__name__: cls
    for cls in (
        # SHAPE
        FolderIdAsNumber, TypeMissing, StaleIdCounter, ElementIdsNotDecimal, MillisecondTimestamps,
        IsIncludedPythonBooleans, DepthFull, SkewedTimestamps, CreatorIsServiceAccount, DuplicateElementIds,
        RequiresJsonAccept,
        # RO
        HonoursFolderId, HonoursDepth, HonoursPermissions, HonoursServerSetNames,
        # AUTHN
        AnonymousIsReader, PasswordNotChecked, PasswordCaseInsensitive, UnknownUserIsAdmin, AnyBearerTokenIsAdmin,
        BadBase64Is400, PathCheckedBeforeCredentials, SiteNotChecked, UserNotChecked, WrongPasswordCopyWritten,
        # AUTHZ
        Permissive, ForbiddenCopyStillWritten, ForbiddenCopyStoredAsCopyOf,
        # NOTFOUND
        SixDigitIds, DeleteKeepsSegment, MissingSourceCreatesSegment,
        # VALID
        LenientJsonParser, NullBodyIsEmpty, NoSchemaValidation, NullMeansAbsent, IdNotValidated, LeadingDigitsId,
        UntypedValidationErrors, AbsoluteValueIds, IgnoresContentType, RejectsUnknownProperties,
        EmptyBodyIsEmptyObject, TrailingDataIgnored, NanAccepted, RefusesCharsetParameter, CaseSensitivePath,
        InvalidBodyStillWritten,
        # SEM
        SharedElementsRenumberSource, TrimsName, TruncatesLongNames, LongNameCrash, EmptyDefaultName,
        CrashesWithoutName, DropsExcludedElements, CopiesSharedLists, DropsFilterCriteria,
        CriteriaRenumberedStatementNot,
        # STATUS
        HtmlNotFoundPage, TracebackInNotFound,
        # FAULT
        IgnoresPrefer, FaultAfterWrite,
        # PROP
        ControlCharacterCrash, TemplateIdCrash, ElementFieldNotValidated,
        # STATE
        RetrieveReordersElements, StoredWithoutFolder, CopyOfCopyHasNoElements, CascadeDeletesCopies, RacyIdCounter,
    )
}  # fmt: skip

# Found only by the property-based tests (schemathesis bodies, the state machine, their volume).
PROPERTY_ONLY = frozenset({"ControlCharacterCrash", "TemplateIdCrash", "StaleIdCounter"})


def violations(name: str) -> frozenset[str]:
    """The requirement IDs variant `name` declares it violates."""
    return frozenset(getattr(VARIANTS[name], "violates", ()))


def as_declared(name: str, failed: frozenset[str]) -> bool:
    """Whether `failed` is exactly what variant `name` declares it violates."""
    return failed == violations(name)
