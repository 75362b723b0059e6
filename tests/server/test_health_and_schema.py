from typing import Any

from tests.helpers import Browser


async def test_health_reports_the_database(browser: Browser) -> None:
    response = await browser.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_openapi_documents_every_endpoint_with_its_errors(browser: Browser) -> None:
    schema: dict[str, Any] = (await browser.get("/schema/openapi.json")).json()
    paths = schema["paths"]
    expected = {
        "/healthz": {"get"},
        "/api/accounts": {"post"},
        "/api/session": {"post", "delete"},
        "/api/me": {"get", "patch"},
        "/api/invites": {"get", "post"},
        "/api/invites/{code}": {"get", "delete"},
        "/api/invites/{code}/accept": {"post"},
        "/api/couple": {"get", "delete"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        for method in methods:
            operation = paths[path][method]
            error_statuses = [code for code in operation["responses"] if code.startswith(("4", "5"))]
            assert error_statuses, f"{method.upper()} {path} documents no error answer"
            for code in error_statuses:
                content = operation["responses"][code].get("content", {})
                assert "application/json" in content, f"{method.upper()} {path} {code} has no body shape"
    register = paths["/api/accounts"]["post"]
    assert "requestBody" in register
    assert "ErrorBody" in schema["components"]["schemas"]


async def test_the_web_client_is_served_at_the_root(browser: Browser) -> None:
    response = await browser.get("/")
    assert response.status_code == 200
    assert "Duologue" in response.text
