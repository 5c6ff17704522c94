"""Legitimate variants: servers that make a choice the contract leaves open, and must be certified under --strict.

Each is the reference mock with one such choice (docs/contract-audit.md says where the notes leave it open);
tests/test_variants_legitimate.py runs the strict suite against each and requires `certified`. They trigger on
properties of the request (its status, its body, its headers), never on how many requests came before.
"""

from __future__ import annotations

import gzip
from dataclasses import replace
from typing import Any, ClassVar

from ..config import Identity
from ..errors import object_key, object_validation_error
from ..messages import JsonObject, Request, Response, json_response
from ..render import Depth, render_segment
from ..routing import Operation, Route, match_route
from ..service import SegmentService

__all__ = ["LEGITIMATE", "allows"]


class MinimalDepthCopy(SegmentService):
    """Answers a copy (and a create) at depth minimal: the depth of the 201 is the server's (notes §8 Copy)."""

    allows: ClassVar[str] = "§8 Copy: a 201 at any depth"

    def respond(self, status: int, payload: JsonObject) -> Response:
        if status == 201 and isinstance(payload.get("id"), str):
            stored = self.get(payload["id"])
            payload = render_segment(stored, Depth.MINIMAL) if stored is not None else payload
        return super().respond(status, payload)


class PartialDepthCopy(SegmentService):
    """Answers a copy (and a create) at depth partial: its elements at minimal depth (notes §8 partial)."""

    allows: ClassVar[str] = "§8 Copy, §8 partial: a 201 at any depth"

    def respond(self, status: int, payload: JsonObject) -> Response:
        if status == 201 and isinstance(payload.get("id"), str):
            stored = self.get(payload["id"])
            payload = render_segment(stored, Depth.PARTIAL) if stored is not None else payload
        return super().respond(status, payload)


class NameLengthLimit(SegmentService):
    """Refuses names longer than 100 characters with 400 ValidTextLengthRequirement (the notes give no maximum)."""

    allows: ClassVar[str] = "§6 400 validation body (ValidTextLengthRequirement), §1 name: a server-chosen limit"
    limit: ClassVar[int] = 100

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        problems = super().validate_body(document, operation)
        name = document.get("name") if isinstance(document, dict) else None
        if not problems and isinstance(name, str) and len(name) > self.limit:
            requirement = {"type": "ValidTextLengthRequirement", "maximum": self.limit}
            problems.append(object_validation_error(object_key("ContactSegment"), "name", requirement, name))
        return problems


class PlainTextErrors(SegmentService):
    """Answers 401, 403, 404 and 500 with a plain-text body, as /id does ("Not authenticated.", notes §6)."""

    allows: ClassVar[str] = "§6 Other errors, §6 401 (IP or user): empty or plain-text error bodies"
    _TEXTS: ClassVar[dict[int, bytes]] = {401: b"Not authenticated.", 403: b"Forbidden.", 404: b"Not found.",
                                          500: b"The service has encountered an error."}  # fmt: skip

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        text = self._TEXTS.get(response.status)
        if text is None:
            return response
        headers = tuple((k, v) for k, v in response.headers if k != "content-type")
        return Response(response.status, text, (("content-type", "text/plain; charset=utf-8"), *headers))


class EmptyErrorBodies(SegmentService):
    """Answers 401, 403, 404 and 500 with an empty body (notes §6: no body shape is documented for them)."""

    allows: ClassVar[str] = "§6 Other errors, §6 No error schema on the operation: empty error bodies"

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if response.status not in (401, 403, 404, 500):
            return response
        return Response(response.status, b"", tuple((k, v) for k, v in response.headers if k != "content-type"))


class NewLocalFilterIds(SegmentService):
    """Duplicates each local filter into the copy under a new id, with new criterion ids and the statement rewritten.

    A shared list or filter is still referenced by its id; only what is local to the segment is duplicated.
    """

    allows: ClassVar[str] = "§2 ContactFilterSegmentElement: a copied local filter may get a new id"

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        for element in copy["elements"]:
            fltr = element.get("filter")
            if isinstance(fltr, dict) and str(fltr.get("scope", "")).lower() == "local":
                element["filter"] = self._duplicated(fltr)
        return copy

    def _duplicated(self, fltr: JsonObject) -> JsonObject:
        renamed: dict[str, str] = {}
        criteria = []
        for criterion in fltr.get("criteria", []):
            if isinstance(criterion, dict) and isinstance(criterion.get("id"), str):
                renamed[criterion["id"]] = self.next_element_id()
                criterion = {**criterion, "id": renamed[criterion["id"]]}
            criteria.append(criterion)
        duplicate = {**fltr, "id": self.next_element_id(), "criteria": criteria}
        if isinstance(fltr.get("statement"), str):
            duplicate["statement"] = " ".join(renamed.get(token, token) for token in fltr["statement"].split())
        return duplicate


class GzipResponses(SegmentService):
    """Compresses every body with gzip when the request accepts it (Content-Encoding: gzip)."""

    allows: ClassVar[str] = "HTTP: compressed responses (the notes say nothing against them)"

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        accepted = ",".join(request.header_values("accept-encoding")).lower()
        if not response.body or "gzip" not in accepted:
            return response
        headers = (*response.headers, ("content-encoding", "gzip"))
        return Response(response.status, gzip.compress(response.body), headers)


class ChunkedResponses(SegmentService):
    """Sends every body in chunks (Transfer-Encoding: chunked), without a Content-Length."""

    allows: ClassVar[str] = "HTTP: chunked responses (the notes say nothing against them)"

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        return replace(response, headers=(*response.headers, ("transfer-encoding", "chunked")))


class UniqueNames(SegmentService):
    """Refuses a name another segment has with 400 UniquenessRequirement, and makes default names unique."""

    allows: ClassVar[str] = "§5 (UniquenessRequirement, a name not unique may get 400)"

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        problems = super().validate_body(document, operation)
        name = document.get("name") if isinstance(document, dict) else None
        if not problems and isinstance(name, str) and name in self._names():
            requirement = {"type": "UniquenessRequirement"}
            problems.append(object_validation_error(object_key("ContactSegment"), "name", requirement, name))
        return problems

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        name, taken, number = super().copy_name(source, body), self._names(), 1
        candidate = name
        while candidate in taken:
            number += 1
            candidate = f"{name} ({number})"
        return candidate

    def _names(self) -> set[str]:
        return {str(segment.get("name")) for segment in self._store.all()}


class KeepsUnusedProperties(SegmentService):
    """Stores the body's description, currentStatus and sourceTemplateId ("not used" for segments, notes §1, §5)."""

    allows: ClassVar[str] = "§5, §10.6: properties described as not used may be kept or dropped"
    kept: ClassVar[tuple[str, ...]] = ("description", "currentStatus", "sourceTemplateId")

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        copy.update({key: body[key] for key in self.kept if isinstance(body.get(key), str) and body[key]})
        return copy


class BodyElementsHonoured(SegmentService):
    """Builds the copy's elements from the body when it names some, as create does (notes §5 leaves it open),
    refusing an isIncluded other than "true"/"false" with Eloqua's BooleanRequirement (notes §6)."""

    allows: ClassVar[str] = "§5: whether elements come from the source or the body is not documented"

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        problems = super().validate_body(document, operation)
        elements = document.get("elements") if isinstance(document, dict) and not problems else None
        for element in elements if isinstance(elements, list) else []:
            flag = element.get("isIncluded") if isinstance(element, dict) else None
            if isinstance(flag, str) and flag not in ("true", "false"):
                container = object_key("SegmentElement", object_key("ContactSegment"))
                problems.append(object_validation_error(container, "isIncluded", {"type": "BooleanRequirement"}, flag))
        return problems

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        if "elements" not in body:
            return super().copy_segment(source, body, identity)
        created = self.create_segment({**body, "name": self.copy_name(source, body)}, identity)
        return {**created, "folderId": source.get("folderId", created["folderId"])}


class BareObjectValidationErrors(SegmentService):
    """Answers a 400 with one validation error object, not an array of them (notes §6, §10.11: both are seen)."""

    allows: ClassVar[str] = "§6 Alternatives, §10.11: a 400 body that is a bare object"

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if response.status != 400:
            return response
        errors = response.json()
        first = errors[0] if isinstance(errors, list) and errors else errors
        return json_response(400, first, tuple((k, v) for k, v in response.headers if k != "content-type"))


class ContentTypeRefusedWith400(SegmentService):
    """Answers a missing or non-JSON Content-Type with 400, not 415 (notes §4: leaving it out "is an error")."""

    allows: ClassVar[str] = "§4 Request headers: which error a missing Content-Type gets"

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        route = match_route(request.method, request.path)
        if response.status == 415 and isinstance(route, Route):
            sent = request.header("content-type") or ""
            body = [{"type": "EndpointParameterError", "parameter": "Content-Type",
                     "requirement": {"type": "ContentRequirement"}, "value": sent}]  # fmt: skip
            return json_response(400, body)
        return response


LEGITIMATE: dict[str, type[SegmentService]] = {
    cls.__name__: cls
    for cls in (
        MinimalDepthCopy, PartialDepthCopy, NameLengthLimit, PlainTextErrors, EmptyErrorBodies, NewLocalFilterIds,
        GzipResponses, ChunkedResponses, UniqueNames, KeepsUnusedProperties, BodyElementsHonoured,
        BareObjectValidationErrors, ContentTypeRefusedWith400,
    )
}  # fmt: skip


def allows(name: str) -> str:
    """What the legitimate variant `name` chooses, and where the notes leave it open."""
    return str(getattr(LEGITIMATE[name], "allows", ""))
