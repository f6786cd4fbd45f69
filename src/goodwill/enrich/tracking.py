"""The channel classifier's own lists of tracking conventions: ``utm_source`` spellings,
``utm_medium`` families, click-id parameters and in-app browser user-agent tokens.

Written for goodwill from public knowledge of the networks and ad platforms (not derived from
any third-party database). Values are lowercase except user-agent tokens, which are matched
case-sensitively as the apps send them.
"""

from __future__ import annotations

from typing import Final

from goodwill.enrich.domains import ANY_TLD_BRANDS, HOSTS, HostKind

__all__ = [
    "CLICK_IDS",
    "DISPLAY_MEDIUMS",
    "EMAIL_MEDIUMS",
    "IN_APP_TOKENS",
    "ORGANIC_MEDIUMS",
    "PAID_MEDIUMS",
    "PAID_SEARCH_MEDIUMS",
    "PAID_SOCIAL_MEDIUMS",
    "REFERRAL_MEDIUMS",
    "SOCIAL_MEDIUMS",
    "SOURCE_ALIASES",
    "SOURCE_KINDS",
]

SOURCE_ALIASES: Final[dict[str, str]] = {
    # social
    "fb": "facebook",
    "facebook": "facebook",
    "fbook": "facebook",
    "messenger": "facebook",
    "meta": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "instagram": "instagram",
    "twitter": "x",
    "tw": "x",
    "twttr": "x",
    "x": "x",
    "linkedin": "linkedin",
    "li": "linkedin",
    "lnkd": "linkedin",
    "bsky": "bluesky",
    "bluesky": "bluesky",
    "mastodon": "mastodon",
    "masto": "mastodon",
    "mstdn": "mastodon",
    "fediverse": "mastodon",
    "fedi": "mastodon",
    "threads": "threads",
    "reddit": "reddit",
    "youtube": "youtube",
    "yt": "youtube",
    "tiktok": "tiktok",
    "pinterest": "pinterest",
    "pin": "pinterest",
    "snapchat": "snapchat",
    "snap": "snapchat",
    "hn": "hackernews",
    "hackernews": "hackernews",
    "ycombinator": "hackernews",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "telegram": "telegram",
    "tg": "telegram",
    "discord": "discord",
    "slack": "slack",
    "tumblr": "tumblr",
    "quora": "quora",
    "vk": "vk",
    "weibo": "weibo",
    "wechat": "wechat",
    "line": "line",
    "xing": "xing",
    "lemmy": "lemmy",
    "pixelfed": "pixelfed",
    "twitch": "twitch",
    "nostr": "nostr",
    # search
    "google": "google",
    "goog": "google",
    "adwords": "google",
    "googleads": "google",
    "bing": "bing",
    "microsoft": "bing",
    "msn": "bing",
    "duckduckgo": "duckduckgo",
    "ddg": "duckduckgo",
    "yahoo": "yahoo",
    "yandex": "yandex",
    "baidu": "baidu",
    "ecosia": "ecosia",
    "startpage": "startpage",
    "brave": "brave",
    "qwant": "qwant",
    "ask": "ask",
    "aol": "aol",
    "naver": "naver",
    "seznam": "seznam",
    "kagi": "kagi",
    # email senders
    "newsletter": "newsletter",
    "email": "newsletter",
    "e-mail": "newsletter",
    "mail": "newsletter",
    "mailchimp": "mailchimp",
    "sendgrid": "sendgrid",
    "substack": "substack",
    "buttondown": "buttondown",
    "convertkit": "convertkit",
    "brevo": "brevo",
    "sendinblue": "brevo",
    "klaviyo": "klaviyo",
    "mailerlite": "mailerlite",
    "beehiiv": "beehiiv",
    "listmonk": "listmonk",
}
"""``utm_source`` spellings (whole value, or one word of it: ``facebook_ads``) → source."""

SOURCE_KINDS: Final[dict[str, HostKind]] = {
    **{source: kind for kind, source in HOSTS.values() if kind in ("social", "search")},
    **{source: kind for kind, source, _ in ANY_TLD_BRANDS.values() if kind != "email"},
    "wechat": "social",
    **{
        source: "email"
        for source in (
            "newsletter",
            "mailchimp",
            "sendgrid",
            "substack",
            "buttondown",
            "convertkit",
            "brevo",
            "klaviyo",
            "mailerlite",
            "beehiiv",
            "listmonk",
        )
    },
}
"""Normalised source → what kind of site it is (decides paid social vs paid search)."""

SOCIAL_MEDIUMS: Final[frozenset[str]] = frozenset(
    {
        "social",
        "social-media",
        "social_media",
        "socialmedia",
        "social media",
        "sm",
        "sns",
        "organic_social",
        "organic-social",
        "organicsocial",
        "social_organic",
        "social-organic",
        "social-network",
        "social_network",
        "socialnetwork",
    }
)
PAID_SOCIAL_MEDIUMS: Final[frozenset[str]] = frozenset(
    {
        "paid_social",
        "paid-social",
        "paidsocial",
        "paid social",
        "social_paid",
        "social-paid",
        "socialpaid",
        "social_ads",
        "social-ads",
        "socialads",
    }
)
PAID_SEARCH_MEDIUMS: Final[frozenset[str]] = frozenset(
    {"paid_search", "paid-search", "paidsearch", "paid search", "sem", "search_ads", "search-ads"}
)
PAID_MEDIUMS: Final[frozenset[str]] = frozenset(
    {"cpc", "ppc", "paid", "cpm", "cpv", "cpa", "cpi", "cpl", "ads", "ad", "retargeting"}
    | {"sponsored"}
)
"""Paid mediums whose channel the source decides (social → paid_social, search →
paid_search). Any medium starting with ``paid`` counts too."""
DISPLAY_MEDIUMS: Final[frozenset[str]] = frozenset(
    {"display", "banner", "cpm", "expandable", "interstitial", "programmatic", "rich_media"}
)
EMAIL_MEDIUMS: Final[frozenset[str]] = frozenset(
    {"email", "e-mail", "e_mail", "e mail", "mail", "newsletter", "newsletters", "mailing"}
)
REFERRAL_MEDIUMS: Final[frozenset[str]] = frozenset(
    {"referral", "affiliate", "affiliates", "partner", "partners", "link"}
)
ORGANIC_MEDIUMS: Final[frozenset[str]] = frozenset(
    {"organic", "seo", "search", "organic_search", "organic-search"}
)

CLICK_IDS: Final[dict[str, tuple[str, str]]] = {
    "gclid": ("paid_search", "google"),
    "gbraid": ("paid_search", "google"),
    "wbraid": ("paid_search", "google"),
    "dclid": ("display", "google"),
    "msclkid": ("paid_search", "bing"),
    "yclid": ("paid_search", "yandex"),
    "twclid": ("paid_social", "x"),
    "li_fat_id": ("paid_social", "linkedin"),
    "ttclid": ("paid_social", "tiktok"),
    "epik": ("paid_social", "pinterest"),
    "rdt_cid": ("paid_social", "reddit"),
    "sccid": ("paid_social", "snapchat"),
    "fbclid": ("social", "facebook"),
    "igshid": ("social", "instagram"),
    "mc_cid": ("email", "mailchimp"),
    "_hsenc": ("email", "hubspot"),
    "mkt_tok": ("email", "marketo"),
}
"""Click-id query parameter → (channel, source), in priority order when a URL has several.

Ad networks add their id to ad clicks only, so those are paid. Facebook adds ``fbclid`` to
organic link clicks too, and ``igshid`` marks an Instagram share, so both are organic social.
``dclid`` is Google's Display & Video 360 / Campaign Manager id, hence display."""

IN_APP_TOKENS: Final[tuple[tuple[str, str], ...]] = (
    ("FBAN", "facebook"),
    ("FBAV", "facebook"),
    ("FB_IAB", "facebook"),
    ("Instagram", "instagram"),
    ("Barcelona", "threads"),
    ("LinkedInApp", "linkedin"),
    ("Twitter for iPhone", "x"),
    ("Twitter for iPad", "x"),
    ("TwitterAndroid", "x"),
    ("musical_ly", "tiktok"),
    ("BytedanceWebview", "tiktok"),
    ("Pinterest/", "pinterest"),
    ("Pinterest for Android", "pinterest"),
    ("Snapchat", "snapchat"),
    ("Line/", "line"),
    ("KAKAOTALK", "kakaotalk"),
    ("MicroMessenger", "wechat"),
    ("Weibo", "weibo"),
)
"""User-agent token of an app's in-app browser → source. Tokens are literal text matched
case-sensitively; the leftmost token in the user agent wins. ``Barcelona`` is the Threads app.
``Pinterest/`` (not ``Pinterest``) keeps the ``Pinterestbot`` crawler out."""
