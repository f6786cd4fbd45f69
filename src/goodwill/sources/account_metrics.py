"""Shared by the adapters that fill ``account_metrics`` (an account's own counts per day):
LinkedIn page visitors (:mod:`goodwill.sources.linkedin_visitors`) and TikTok Studio's
Overview and Viewers tabs (:mod:`goodwill.sources.tiktok_studio`)."""

from __future__ import annotations

import re

__all__ = ["TABLE", "metric_name"]

TABLE = "account_metrics"


def metric_name(header: str) -> str:
    """The ``account_metrics.metric`` for an export's column header: lowercase words joined
    by ``_``, "mobile devices" shortened to "mobile", and a leading or trailing "total"
    dropped (the total is the plain metric): "Total page views (total)" → ``page_views``,
    "Total unique visitors (mobile)" → ``unique_visitors_mobile``, "Overview page views
    (desktop)" → ``overview_page_views_desktop``, "Video Views" → ``video_views``, "Total
    Viewers" → ``viewers``."""
    words = re.findall(r"[a-z0-9]+", header.casefold().replace("mobile devices", "mobile"))
    if words and words[-1] == "total":
        words = words[:-1]
    if words and words[0] == "total":
        words = words[1:]
    return "_".join(words)
