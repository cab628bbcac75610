"""flask-smorest's Api with our error shape in the OpenAPI document.

Every operation lists the error answers it can give, so that the document tells a client (the
mini-program, schemathesis) what can go wrong. The ones that follow from how a view is built are
added here, in one place, after each blueprint is registered:

- 401 and 403 for a view guarded by `require(...)` (403 only when some role is left out);
- 404 for a path with an identifier in it (also what a caller of another unit gets);
- 422 for a view that reads a body or query arguments (flask-smorest adds this one itself),
  400 when that body is JSON (what is sent is not JSON at all);
- 413 for an upload, 429 for a rate-limited view, 503 everywhere (the database is down).

Answers particular to one endpoint (409 `invalid_transition`, 400 `invalid_token`, …) are declared
on the view with `@blp.alt_response(status, schema=ErrorSchema, description="<codes>")`.
"""

import threading
from collections.abc import Callable
from http import HTTPStatus

from flask_smorest import Api
from flask_smorest.spec.plugins import FlaskPlugin

from backend.core.errors import ErrorSchema, handle_http_exception

#: Set on a view function by the access decorators (backend.auth.access): the roles let in.
ACCESS_ATTRIBUTE = "yanxiu_roles"
ALL_ROLES = frozenset({"admin", "organizer", "lecturer", "trainee"})


def error_statuses(view: Callable, path: str, operation: dict) -> set[int]:
    """The error answers that follow from how `view` is built (module docstring)."""
    statuses = {HTTPStatus.SERVICE_UNAVAILABLE}
    roles = getattr(view, ACCESS_ATTRIBUTE, None)
    if roles is not None:
        statuses.add(HTTPStatus.UNAUTHORIZED)
        if not set(roles) >= ALL_ROLES:
            statuses.add(HTTPStatus.FORBIDDEN)
    if "{" in path:
        statuses.add(HTTPStatus.NOT_FOUND)
    body = operation.get("requestBody", {}).get("content", {})
    if operation.get("parameters") or body:
        statuses.add(HTTPStatus.UNPROCESSABLE_ENTITY)
    if "application/json" in body:
        statuses.add(HTTPStatus.BAD_REQUEST)  # the body is not JSON at all
    if "multipart/form-data" in body:
        statuses.add(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    from flask_limiter.util import get_qualified_name

    from backend.extensions import limiter  # backend.extensions builds this module's Api

    # flask-limiter keeps the names of the views its decorators wrap in this set.
    if get_qualified_name(view) in limiter._marked_for_limiting:
        statuses.add(HTTPStatus.TOO_MANY_REQUESTS)
    return statuses


class YanxiuApi(Api):
    """Documents errors with ErrorSchema and answers HTTP errors in docs/API.md's shape.

    The blueprints' views are written into the OpenAPI document when it is first read (the
    `spec` property), not when each blueprint is registered: building it is half of
    `create_app()`, which a worker (and each test) pays at start while few ever serve the
    document."""

    ERROR_SCHEMA = ErrorSchema
    # No catch-all "default" answer: each operation lists its real ones (module docstring).
    DEFAULT_ERROR_RESPONSE_NAME = None

    _documenting = threading.RLock()  # two first readers in one worker: one writes it

    @property
    def spec(self):
        with self._documenting:
            while self._undocumented:
                blp, name, parameters = self._undocumented.pop(0)
                blp.register_views_in_doc(
                    self, self._app, self._spec, name=name, parameters=parameters
                )
                self._spec.tag({"name": name, "description": blp.description})
                self._document_errors(name)
        return self._spec

    @spec.setter
    def spec(self, spec) -> None:  # flask-smorest's init_app sets a new, empty document
        self._spec = spec
        self._undocumented: list = []

    def handle_http_exception(self, error):
        return handle_http_exception(error)

    def register_blueprint(self, blp, *, parameters=None, **options):
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _document_errors(self, blueprint_name: str) -> None:
        """Add the error answers of every operation of the blueprint just registered."""
        paths = self._spec._paths  # apispec keeps no public accessor for a path's operations
        for rule in self._app.url_map.iter_rules():
            if not rule.endpoint.startswith(f"{blueprint_name}."):
                continue
            path = FlaskPlugin.flaskpath2openapi(rule.rule)
            view = self._app.view_functions[rule.endpoint]
            for method, operation in paths.get(path, {}).items():
                if method.upper() not in rule.methods:
                    continue
                responses = operation.setdefault("responses", {})
                for status in sorted(error_statuses(view, path, operation)):
                    responses.setdefault(
                        str(int(status)), self._spec.components.get_ref("response", status.name)
                    )
