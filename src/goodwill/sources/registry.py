"""Which adapter modules exist: importing one registers its :class:`~.adapters.Format`.

Add a module's dotted name to :data:`ADAPTER_MODULES` to make its format known to
``goodwill import`` (detection and ``--format``) and ``goodwill sources``.
"""

from __future__ import annotations

import importlib

from goodwill.sources.adapters import FORMATS, Format

__all__ = ["ADAPTER_MODULES", "all_formats"]

ADAPTER_MODULES: tuple[str, ...] = (
    # -- social platforms --
    "goodwill.sources.x_archive",
    "goodwill.sources.mastodon",
    "goodwill.sources.bluesky",
    "goodwill.sources.meta_download",
    "goodwill.sources.youtube",
    "goodwill.sources.tiktok_studio",
    # -- web --
    "goodwill.sources.accesslog",
    "goodwill.sources.ga4",
    # -- business sources --
    "goodwill.sources.crm",
    "goodwill.sources.shop",
    "goodwill.sources.email",
    "goodwill.sources.costs",
    "goodwill.sources.page_insights",
    "goodwill.sources.linkedin_visitors",
    "goodwill.sources.mapped",
    "goodwill.sources.ads",
    "goodwill.sources.payments",
    "goodwill.sources.email_reports",
    "goodwill.sources.mailchimp_api",
    "goodwill.sources.klaviyo_api",
)


def all_formats() -> dict[str, Format]:
    """Every registered format, by name (imports the adapter modules once)."""
    for mod in ADAPTER_MODULES:
        importlib.import_module(mod)
    return dict(FORMATS)
