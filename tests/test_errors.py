"""One error shape everywhere (docs/API.md): 404, 405, bad JSON, validation, 500."""

import pytest
from flask import Blueprint


def test_unknown_path_and_method(api):
    missing = api.get("/no/such/thing")
    assert missing.status_code == 404
    assert missing.json == {"error": "not_found", "message": "找不到请求的内容"}
    wrong = api.delete("/auth/login")
    assert wrong.status_code == 405 and wrong.json["error"] == "method_not_allowed"
    assert "POST" in wrong.headers["Allow"]


def test_malformed_json_is_a_clear_error(api):
    response = api.post("/auth/login", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json == {"error": "bad_request", "message": "请求内容不是有效的 JSON"}


def test_unknown_fields_are_named(api, world):
    response = api.post("/auth/login", json={"username": "a", "password": "b", "extra": 1})
    assert response.status_code == 422
    assert response.json["fields"] == {"extra": ["不认识的字段"]}


@pytest.fixture
def broken_app(database_url):
    from backend import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(database_url), "PROPAGATE_EXCEPTIONS": False, "TESTING": False})
    boom = Blueprint("boom", __name__)

    @boom.get("/api/v1/boom")
    def explode():
        raise RuntimeError("secret detail 13900000001")

    app.register_blueprint(boom)
    return app


def test_unexpected_errors_are_500_without_details(broken_app, caplog):
    response = broken_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json == {"error": "internal_error", "message": "服务器内部错误，请稍后再试"}
    assert "RuntimeError" in caplog.text and "explode" in caplog.text
    assert "13900000001" not in caplog.text  # no personal data in the logs


def test_openapi_document_is_served(api):
    document = api.get("/openapi.json").json
    assert document["info"]["title"].startswith("Yanxiu")
    for path in (
        "/api/v1/auth/login",
        "/api/v1/classes/{class_id}/trainees",
        "/api/v1/me/enrollments",
    ):
        assert path in document["paths"]
    assert set(document["components"]["schemas"]["Error"]["properties"]) == {
        "error",
        "message",
        "fields",
    }
