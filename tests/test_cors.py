"""CORS is closed unless configured; then only the listed origins get it."""

from backend import create_app
from tests.conftest import base_config


def test_no_cors_headers_by_default(client):
    response = client.get("/api/v1/openapi.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_configured_origin_only(database_url):
    app = create_app({**base_config(database_url), "CORS_ORIGINS": "https://admin.example.gov.cn"})
    client = app.test_client()
    allowed = client.options(
        "/api/v1/auth/login",
        headers={
            "Origin": "https://admin.example.gov.cn",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://admin.example.gov.cn"
    other = client.get("/api/v1/openapi.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
