"""How long a sync waits on ``429 Too Many Requests``."""

from __future__ import annotations

from goodwill.sources.sync import MAX_WAIT_S, retry_wait

NOW = 1_780_000_000.0  # 2026-05-28T20:26:40Z


def test_retry_after_seconds_and_http_date() -> None:
    assert retry_wait({"Retry-After": "1"}, 1, NOW) == 1.0
    assert retry_wait({"retry-after": "7"}, 3, NOW) == 7.0
    date = "Thu, 28 May 2026 20:26:50 GMT"  # NOW + 10 s
    assert retry_wait({"Retry-After": date}, 1, NOW) == 10.0


def test_reset_headers_and_backoff() -> None:
    assert retry_wait({"X-RateLimit-Reset": "2026-05-28T20:26:45.000Z"}, 1, NOW) == 5.0
    assert retry_wait({"RateLimit-Reset": str(int(NOW) + 30)}, 1, NOW) == 30.0
    assert retry_wait({}, 1, NOW) == 2.0 and retry_wait({}, 3, NOW) == 8.0
    assert retry_wait({}, 20, NOW) == MAX_WAIT_S
    assert retry_wait({"Retry-After": "-5"}, 1, NOW) == 0.0
    assert retry_wait({"Retry-After": "soon"}, 2, NOW) == 4.0
