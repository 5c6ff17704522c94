"""The reference mock's core: one request in, one response out, one overridable method per decision."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from .auth import identify
from .config import Identity, MockConfig, default_config
from .errors import Rejection, error, id_error, object_key, object_validation_error, reject
from .listing import ListQuery, parse_list_query
from .messages import JsonObject, Request, Response, empty_response, json_response
from .preferences import preferred_status
from .render import Depth, parse_depth, render_segment
from .routing import MethodNotAllowed, Operation, Route, match_route
from .seed import parse_seed
from .segments import (
    DEFAULT_FOLDER_ID,
    PERMISSIONS,
    audit_fields,
    copied_element,
    element_from_body,
    with_defaults,
)
from .spec import Spec, load_spec
from .store import IdCounter, SegmentStore
from .validation import BodyError, parse_json, parsing_error, schema_errors

__all__ = ["SegmentService"]

_log = logging.getLogger(__name__)
_DIGITS = re.compile(r"[0-9]+")
_CHALLENGE = (("www-authenticate", 'Basic realm="Eloqua"'), ("www-authenticate", 'Bearer realm="Eloqua"'))


class SegmentService:
    """Eloqua's contact segment operations over an in-memory store; safe to call from many threads.

    Requests pass, in order: authentication (401), fault injection (Prefer), path id (400),
    existence (404), authorization (403), Content-Type (415), body (400), then the operation.
    Each decision is one public method so that a broken variant overrides exactly one.
    """

    def __init__(self, config: MockConfig | None = None, spec: Spec | None = None) -> None:
        self.config = config if config is not None else default_config()
        self.spec = spec if spec is not None else load_spec()
        self._segment_validator = self.spec.validator("ContactSegment")
        self._statuses = {op: self.spec.statuses(op.value) for op in Operation}
        seeds = parse_seed(list(self.config.seed_segments), "seed segments")
        self._store = SegmentStore(with_defaults(s, self.timestamp()) for s in seeds)
        element_ids = [int(e["id"]) for s in seeds for e in s["elements"]]
        self._segment_ids = IdCounter(max((int(s["id"]) for s in seeds), default=0) + 1)
        self._element_ids = IdCounter(max(element_ids, default=0) + 1)

    # --- snapshot API for tests -------------------------------------------------------------

    def segment_ids(self) -> set[str]:
        """The ids of every stored segment."""
        return self._store.ids()

    def get(self, segment_id: str) -> JsonObject | None:
        """A copy of the stored segment `segment_id` (all properties), or None."""
        return self._store.get(segment_id)

    # --- entry point -------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer `request`; never raises, and never answers 5xx unless asked to by Prefer."""
        try:
            return self._dispatch(request)
        except Rejection as rejection:
            return rejection.response
        except Exception:
            # A bug in the mock must still look like an API error, never a traceback.
            _log.exception("mock failed on %s %s", request.method, request.path)
            return json_response(500, [error("ServerError", "the mock failed unexpectedly")])

    def _dispatch(self, request: Request) -> Response:
        route = match_route(request.method, request.path)
        identity = self.authenticate(request)
        if identity is None:
            raise reject(401, error("Unauthorized", "Login required"), headers=_CHALLENGE)
        if route is None:
            raise reject(404, error("NotFound", "no such resource"))
        if isinstance(route, MethodNotAllowed):
            allow = (("allow", ", ".join(route.allowed)),)
            raise reject(405, error("MethodNotAllowed", "method not allowed here"), headers=allow)
        fault = self.injected_fault(request, route.operation)
        if fault is not None:
            return fault
        if route.operation is Operation.COPY:
            return self._copy(request, route, identity)
        if route.operation is Operation.CREATE:
            return self._create(request, identity)
        if route.operation is Operation.RETRIEVE:
            return self._retrieve(request, route, identity)
        if route.operation is Operation.DELETE:
            return self._delete(route, identity)
        return self._list(request, identity)

    # --- operations --------------------------------------------------------------------------

    def _copy(self, request: Request, route: Route, identity: Identity) -> Response:
        source = self._existing(route.raw_id)
        self._authorized(identity, route.operation)
        body = self._body(request, route.operation)
        copy = self.copy_segment(source, body, identity)
        self._store.add(copy)
        return self.respond(201, self.render_segment(copy, Depth.COMPLETE))

    def _create(self, request: Request, identity: Identity) -> Response:
        self._authorized(identity, Operation.CREATE)
        body = self._body(request, Operation.CREATE)
        created = self.create_segment(body, identity)
        self._store.add(created)
        return self.respond(201, self.render_segment(created, Depth.COMPLETE))

    def _retrieve(self, request: Request, route: Route, identity: Identity) -> Response:
        segment = self._existing(route.raw_id)
        self._authorized(identity, route.operation)
        depth = parse_depth(request.query_param("depth"), Depth.COMPLETE)
        return self.respond(200, self.render_segment(segment, depth))

    def _delete(self, route: Route, identity: Identity) -> Response:
        segment = self._existing(route.raw_id)
        self._authorized(identity, route.operation)
        if not self.delete_segment(str(segment["id"])):
            # Another request deleted it after the lookup: answer as if it had been first.
            raise reject(404, error("NotFound", "contact segment not found"))
        return empty_response(200)

    def _list(self, request: Request, identity: Identity) -> Response:
        self._authorized(identity, Operation.LIST)
        query = parse_list_query(request)
        depth = parse_depth(request.query_param("depth"), Depth.MINIMAL)
        return self.respond(200, self.list_segments(query, depth))

    # --- pipeline steps, each raising the rejection it stands for ----------------------------

    def _existing(self, raw_id: str | None) -> JsonObject:
        raw = raw_id or ""
        segment_id = self.parse_segment_id(raw)
        if segment_id is None:
            raise reject(400, id_error(raw))
        segment = self.find_segment(segment_id)
        if segment is None:
            raise reject(404, error("NotFound", f"contact segment {segment_id} not found"))
        return segment

    def _authorized(self, identity: Identity, operation: Operation) -> None:
        if not self.authorize(identity, operation):
            raise reject(403, error("Forbidden", f"user {identity.user} may not {operation.name.lower()}"))

    def _body(self, request: Request, operation: Operation) -> JsonObject:
        if not self.accepts_content_type(request.header("content-type")):
            raise reject(415, error("UnsupportedMediaType", "Content-Type must be application/json"))
        try:
            document = parse_json(request.body)
        except BodyError as exc:
            raise reject(400, parsing_error(str(exc))) from exc
        problems = self.validate_body(document, operation)
        if problems:
            raise reject(400, *problems)
        # Only a variant whose validate_body lets a non-object through gets here; treat it as {}.
        return document if isinstance(document, dict) else {}

    # --- decisions: override one of these to make a broken variant --------------------------

    def authenticate(self, request: Request) -> Identity | None:
        """The identity the request's Authorization header proves, or None (401)."""
        return identify(request.header_values("authorization"), self.config.identities)

    def injected_fault(self, request: Request, operation: Operation) -> Response | None:
        """The response a `Prefer: code=NNN` header forces, if NNN is an error documented for `operation`."""
        if not self.config.fault_injection:
            return None
        status = preferred_status(request.header_values("prefer"))
        # Only documented error statuses: a forced 2xx would have to invent a resource it never stored.
        if status is None or status < 400 or status not in self._statuses[operation]:
            return None
        kind = "ServerError" if status >= 500 else "InjectedFault"
        return json_response(status, [error(kind, f"forced by Prefer: code={status}")])

    def parse_segment_id(self, raw: str) -> str | None:
        """The canonical id for a path id, or None unless it is an integer greater than 0 (400)."""
        if not _DIGITS.fullmatch(raw):
            return None
        canonical = raw.lstrip("0")
        return canonical or None

    def find_segment(self, segment_id: str) -> JsonObject | None:
        """The stored segment, or None (404)."""
        return self._store.get(segment_id)

    def authorize(self, identity: Identity, operation: Operation) -> bool:
        """Whether `identity` may perform `operation`; reading needs no create rights (403)."""
        return identity.can_create or not operation.writes

    def accepts_content_type(self, content_type: str | None) -> bool:
        """Whether the Content-Type names JSON; parameters such as charset are allowed (415)."""
        if content_type is None:
            return False
        return content_type.split(";", 1)[0].strip().lower() == "application/json"

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        """Eloqua validation errors for a parsed body; empty when it is acceptable (400)."""
        if not isinstance(document, dict):
            return [error("SerializationError", "the body must be a JSON object (a ContactSegment)")]
        problems = schema_errors(self._segment_validator, document, "ContactSegment")
        name = document.get("name")
        if operation is Operation.CREATE and not problems and (not isinstance(name, str) or not name):
            requirement = {"type": "NotNullRequirement"}
            problems.append(object_validation_error(object_key("ContactSegment"), "name", requirement, name))
        return problems

    def next_id(self) -> str:
        """A segment id never handed out before."""
        return str(self._segment_ids.take())

    def next_element_id(self) -> str:
        """An element id never handed out before."""
        return str(self._element_ids.take())

    def timestamp(self) -> str:
        """Now, in Unix seconds as a string (Eloqua's observed form)."""
        return str(int(time.time()))

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        """The copy's name: the one sent, exactly, or "Copy of <source name>" when absent or empty."""
        name = body.get("name")
        if isinstance(name, str) and name:
            return name
        return f"Copy of {source.get('name', '')}"

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        """The new segment a copy stores; only the body's name is honoured, its elements are not."""
        copy: JsonObject = {
            "type": "ContactSegment",
            "id": self.next_id(),
            "name": self.copy_name(source, body),
            "folderId": source.get("folderId", DEFAULT_FOLDER_ID),
            **audit_fields(identity, self.timestamp()),
            "permissions": list(PERMISSIONS),
            "elements": [copied_element(e, self.next_element_id()) for e in source.get("elements", [])],
        }
        return copy

    def create_segment(self, body: JsonObject, identity: Identity) -> JsonObject:
        """The new segment a create stores: the body's name and elements, server-set fields."""
        new_elements = body.get("elements", [])
        elements = [element_from_body(item, self.next_element_id(), self.next_element_id) for item in new_elements]
        return {
            "type": "ContactSegment",
            "id": self.next_id(),
            "name": body["name"],
            "folderId": DEFAULT_FOLDER_ID,
            **audit_fields(identity, self.timestamp()),
            "permissions": list(PERMISSIONS),
            "elements": [e for e in elements if e is not None],
        }

    def render_segment(self, segment: JsonObject, depth: Depth) -> JsonObject:
        """The JSON body for a stored segment at `depth`."""
        return render_segment(segment, depth)

    def delete_segment(self, segment_id: str) -> bool:
        """Remove a segment; False if it was already gone."""
        return self._store.delete(segment_id)

    def respond(self, status: int, payload: JsonObject) -> Response:
        """The response for a successful operation's JSON body."""
        return json_response(status, payload)

    def list_segments(self, query: ListQuery, depth: Depth) -> JsonObject:
        """The QueryResultSegment envelope for one page of matching segments."""
        page, total = query.select(self._store.shared())
        return {
            "elements": [self.render_segment(s, depth) for s in self._store.copied(page)],
            "page": query.page,
            "pageSize": query.count,
            "total": total,
        }
