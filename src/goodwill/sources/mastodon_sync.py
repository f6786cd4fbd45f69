"""``goodwill sync mastodon``: the brand's account, statuses and notifications, incrementally.

Uses the Mastodon.py client (``pip install 'Mastodon.py>=2,<3'``) for authentication, URLs
and errors; the JSON of each response is read as the server sent it and handed to
:class:`goodwill.sources.mastodon.MastodonReader`, exactly as a saved file would be.

Streams and cursors (``sync_state``, keyed by source ``mastodon``, account
``<instance>/@<acct>``, stream):

1. ``GET /api/v1/accounts/verify_credentials`` → the accounts row and today's audience
   snapshot (every run);
2. ``GET /api/v1/accounts/:id/statuses?min_id=<cursor>`` and
3. ``GET /api/v1/notifications?min_id=<cursor>`` — paged forward in time: ``min_id`` returns
   the page immediately newer than the cursor (``0`` the very first page), the cursor becomes
   the page's highest id once its rows are committed, until a page comes back empty.

Statuses sync before notifications so that a reply to one of our own replies is recognised.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import requests

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext
from goodwill.sources.context import brand_handles
from goodwill.sources.mastodon import PLATFORM, MastodonReader
from goodwill.sources.sync import MAX_RETRIES, Sleep, SyncReport, SyncRun, retry_wait
from goodwill.warehouse import Warehouse

__all__ = ["WaitingSession", "sync_mastodon"]


class WaitingSession(requests.Session):
    """A requests session that waits out ``429`` answers and keeps each response's JSON."""

    def __init__(self, report: SyncReport, sleep: Sleep = time.sleep) -> None:
        super().__init__()
        self.report = report
        self.sleep = sleep
        self.last_json: Any = None

    def request(  # type: ignore[override]
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> requests.Response:
        for attempt in range(MAX_RETRIES + 1):
            resp = super().request(method, url, *args, **kwargs)
            if resp.status_code != 429 or attempt == MAX_RETRIES:
                break
            wait = retry_wait(resp.headers, attempt + 1)
            self.report.note_wait(wait)
            self.sleep(wait)
        try:
            self.last_json = resp.json() if resp.ok else None
        except ValueError:
            self.last_json = None
        return resp


def _id_order(value: object) -> tuple[int, str]:
    text = str(value)
    return (len(text), text) if text.isdigit() else (0, text)


def _client(instance: str, token: str, session: WaitingSession) -> Any:
    try:
        from mastodon import Mastodon  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise UserInputError(
            "goodwill sync mastodon needs the Mastodon.py client: pip install 'Mastodon.py>=2,<3'"
        ) from exc
    return Mastodon(
        access_token=token,
        api_base_url=instance.rstrip("/"),
        session=session,
        ratelimit_method="throw",
        version_check_mode="none",
        request_timeout=60,
    )


def sync_mastodon(
    wh: Warehouse,
    instance: str,
    token: str,
    *,
    limit: int = 40,
    sleep: Sleep = time.sleep,
) -> SyncReport:
    """Bring the account's new statuses and notifications into ``wh`` (see the module docs)."""
    from mastodon import MastodonError  # type: ignore[import-not-found,unused-ignore]

    probe = SyncReport(source=PLATFORM, account=instance)
    session = WaitingSession(probe, sleep)
    api = _client(instance, token, session)
    try:
        api.account_verify_credentials()
        me: dict[str, Any] = session.last_json
        run = SyncRun(wh, source=PLATFORM, account=f"{instance.rstrip('/')}/@{me['acct']}")
        run.report.waits = probe.waits
        session.report = run.report
        ctx = AdapterContext(brand_handles=brand_handles(wh))
        reader = MastodonReader(ctx, outbound_ids=run.known_ids(PLATFORM))
        reader.source = "verify_credentials"
        reader.account(me, 1, datetime.now(UTC).date())
        run.commit("account", reader.out, f"{instance} verify_credentials", None)

        def page_statuses(cursor: str) -> list[Any]:
            api.account_statuses(me["id"], min_id=cursor, limit=limit)
            return list(session.last_json or [])

        def page_notifications(cursor: str) -> list[Any]:
            api.notifications(min_id=cursor, limit=limit)
            return list(session.last_json or [])

        for stream, fetch in (("statuses", page_statuses), ("notifications", page_notifications)):
            saved = run.cursor(stream)
            cursor = str(saved["min_id"]) if saved else "0"
            while True:
                values = fetch(cursor)
                if not values:
                    break
                page = f"{instance} {stream} min_id={cursor}"
                out = reader.page(stream, values, f"{stream} page after {cursor}")
                ids = [v.get("id") for v in values if isinstance(v, dict) and v.get("id")]
                cursor = str(max(ids, key=_id_order)) if ids else cursor
                run.commit(stream, out, page, {"min_id": cursor})
                if not ids:
                    break
    except MastodonError as exc:
        raise UserInputError(f"mastodon sync of {instance}: {exc}") from exc
    return run.report
