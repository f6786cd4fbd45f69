"""Recognising bots, crawlers, link-preview fetchers and headless browsers by user agent.

A request is a bot when its user agent is empty, or contains one of :data:`BOT_TOKENS`
(case-insensitive), or matches the generic ``bot``/``crawl``/``spider``/``preview`` words.
Mastodon instances fetch every shared link for its preview card, so link-preview fetchers
matter here: they must not count as clicks.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["BOT_TOKENS", "is_bot"]

BOT_TOKENS: Final[tuple[str, ...]] = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "preview",
    "mastodon/",
    "pleroma",
    "akkoma",
    "misskey",
    "bluesky cardyb",
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "twitterbot",
    "linkedinbot",
    "embedly",
    "quora link",
    "whatsapp/",
    "telegrambot",
    "discordbot",
    "slackbot",
    "skypeuripreview",
    "headlesschrome",
    "phantomjs",
    "lighthouse",
    "pingdom",
    "uptimerobot",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "go-http-client",
    "curl/",
    "wget/",
    "libwww",
    "httpclient",
    "okhttp",
    "java/",
    "scrapy",
    "feedfetcher",
    "feedburner",
    "ahrefs",
    "semrush",
    "mj12",
    "dotbot",
    "petalbot",
    "bytespider",
    "gptbot",
    "claudebot",
    "ccbot",
    "applebot",
)

_BOT_RE: Final = re.compile("|".join(re.escape(t) for t in BOT_TOKENS))


def is_bot(user_agent: str | None) -> bool:
    """Whether ``user_agent`` belongs to a bot (an empty or missing one does)."""
    ua = (user_agent or "").strip().lower()
    if not ua:
        return True
    return _BOT_RE.search(ua) is not None
