"""Schemathesis against /api/v1/openapi.json, as every kind of caller: no 5xx, and every
answer matches its own documented schema, status and content type.

A bounded run inside `make test`; `make fuzz` sets YANXIU_FUZZ_EXAMPLES higher. (Schemathesis'
own pytest plugin does not run under pytest 9 yet, so the operations are driven here with
Hypothesis directly.)
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backend.auth.logic import init_wechat

EXAMPLES = int(os.environ.get("YANXIU_FUZZ_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
ROLES = ("anonymous", "trainee", "lecturer", "organizer", "other_organizer", "admin")

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def _fuzz(operation, world, counter) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for role in ROLES:
            token = None if role == "anonymous" else getattr(world, role)
            response = case.call(headers={"Authorization": f"Bearer {token}"} if token else {})
            counter["requests"] += 1
            case.validate_response(response, checks=CHECKS)

    run()


def _describe(error: BaseException) -> str:
    """What went wrong, without the reproduction code schemathesis adds."""
    found = error.exceptions if isinstance(error, BaseExceptionGroup) else [error]
    return "; ".join(" ".join(f"{type(e).__name__}: {e}".split())[:300] for e in found)


def test_every_operation_as_every_role(app, world, fake_wechat, capsys):
    app.config.update(
        WECHAT_APP_ID=fake_wechat.app_id,
        WECHAT_APP_SECRET=fake_wechat.app_secret,
        WECHAT_API_BASE=fake_wechat.base_url,
    )
    init_wechat(app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    counter = {"requests": 0, "operations": 0}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        counter["operations"] += 1
        try:
            _fuzz(operation, world, counter)
        except (Exception, FailureGroup) as error:  # collect every operation's, then report
            failures.append(f"{operation.method.upper()} {operation.path}: {_describe(error)}")
    with capsys.disabled():
        print(
            f"\nschemathesis: {counter['operations']} operations, {counter['requests']} requests, "
            f"{len(failures)} failing operations"
        )
    assert not failures, "\n\n".join(failures)
