"""The reference mock of Eloqua's contact segment copy endpoint: a core service and its adapters."""

from .app import create_app
from .config import Identity, MockConfig, default_config
from .messages import JsonObject, Request, Response
from .render import Depth
from .routing import Operation
from .server import running_server
from .service import SegmentService
from .transport import ServiceTransport, client_for

__all__ = [
    "Depth",
    "Identity",
    "JsonObject",
    "MockConfig",
    "Operation",
    "Request",
    "Response",
    "SegmentService",
    "ServiceTransport",
    "client_for",
    "create_app",
    "default_config",
    "running_server",
]
