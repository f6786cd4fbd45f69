"""One JSON error envelope for the whole API: ``{"ok": false, "status", "reason", "detail"}``
for sign-in, bad filters, unknown paths and persons, and the collector's rejections."""

from __future__ import annotations

from pathlib import Path

from dashboard_server import USER
from fastapi.testclient import TestClient

from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.users import create_token


def _envelope(r: object, status: int, reason: str) -> str:
    body = r.json()  # type: ignore[attr-defined]
    assert r.status_code == status, body  # type: ignore[attr-defined]
    assert set(body) == {"ok", "status", "reason", "detail"}, body
    assert body["ok"] is False and body["status"] == status and body["reason"] == reason, body
    assert isinstance(body["detail"], str) and body["detail"], body
    return str(body["detail"])


def test_every_api_error_has_one_envelope(client: TestClient, auth_db: Path) -> None:
    assert "sign in" in _envelope(client.get("/api/people"), 401, "sign_in")
    with Warehouse.open(auth_db) as wh:
        _, token = create_token(wh, USER, "tests")
    auth = {"Authorization": f"Bearer {token}"}
    detail = _envelope(
        client.get("/api/overview?since=2026-13-01", headers=auth), 400, "bad_filter"
    )
    assert "not a date" in detail
    _envelope(client.get("/api/no-such-page", headers=auth), 404, "not_found")
    _envelope(client.get("/api/person/nobody-at-all", headers=auth), 404, "not_found")
    r = client.post("/api/event", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code >= 400
    body = r.json()
    assert set(body) == {"ok", "status", "reason", "detail"} and body["ok"] is False, body
