"""Every operation of /api/v1/openapi.json lists the error answers it can give, in the one error
shape, so the document tells a client what can go wrong (backend/core/api.py)."""

import re

import pytest

PUBLIC = {
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/wechat"),
    ("get", "/api/v1/labels"),
}


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, operation


def _schema_of(document, answer: dict) -> dict:
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return answer["content"]["application/json"]["schema"]


@pytest.fixture
def document(api):
    return api.get("/openapi.json").json


def test_every_operation_lists_its_error_answers(document):
    operations = list(_operations(document))
    assert len(operations) >= 73
    for method, path, operation in operations:
        name = f"{method.upper()} {path}"
        errors = {code for code in operation["responses"] if int(code) >= 400}
        assert "default" not in operation["responses"], name
        assert "503" in errors, name
        if (method, path) not in PUBLIC:
            assert "401" in errors, name
        if "{" in path:
            assert "404" in errors, name
        if "requestBody" in operation:
            assert "422" in errors, name
        for code in errors:
            assert _schema_of(document, operation["responses"][code]) == {
                "$ref": "#/components/schemas/Error"
            }, f"{name} {code}"


def test_endpoint_specific_answers_are_listed(document):
    paths = document["paths"]
    assert "409" in paths["/api/v1/classes/{class_id}/opening-plan/approve"]["post"]["responses"]
    assert "invalid_transition" in str(
        paths["/api/v1/classes/{class_id}/close"]["post"]["responses"]["409"]
    )
    bind = paths["/api/v1/me/enrollments"]["post"]["responses"]
    assert "not_on_roster" in bind["404"]["description"]
    assert "already_bound" in bind["409"]["description"]
    assert {"401", "429"} <= set(paths["/api/v1/auth/login"]["post"]["responses"])
    survey = paths["/api/v1/classes/{class_id}/survey/responses"]["post"]["responses"]
    assert {"403", "409", "422"} <= set(survey)


def test_what_callers_without_access_get_is_documented(api, world, document):
    """Anonymous, then a trainee: each operation's real answer is one of its documented ones."""
    for method, path, operation in _operations(document):
        url = re.sub(r"\{[a-z_]+\}", "1", path.removeprefix("/api/v1"))
        for token in (None, world.trainee):
            answer = api.call(method.upper(), url, token, json={})
            assert str(answer.status_code) in operation["responses"], (
                f"{method.upper()} {path} answered {answer.status_code}: {answer.get_data()[:200]}"
            )
