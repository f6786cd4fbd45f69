"""The goodwill web app: first-party collector, tracked links (and later the dashboard).

:func:`goodwill.web.app.create_app` builds the FastAPI app from routers, one module each:
``collector`` (snippet, events, pixel), ``links`` (tracked-link redirects). The collector never
opens the warehouse: it appends to the spool (``spool``), and a loader moves spooled events
into the warehouse (``loader``).
"""

from __future__ import annotations

__all__: list[str] = []
