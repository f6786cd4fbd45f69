"""The channel classifier's own knowledge of networks: hosts, UTM spellings, click ids, apps.

Written for goodwill from public knowledge of the networks (not derived from any third-party
referrer database). Every name here is lowercase unless it is a user-agent token, which is
matched case-sensitively as the apps send it.

Host tables map a host *suffix* to ``(kind, source)``: a referrer host matches an entry when it
equals the key or ends with ``"." + key`` (the longest matching key wins), so ``facebook.com``
also covers ``m.facebook.com``, ``l.facebook.com`` and ``lm.facebook.com``. Android app
referrers (``android-app://com.twitter.android/``) carry the package name where the host
goes, so package names are listed like hosts.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = [
    "ANY_TLD_BRANDS",
    "CLICK_IDS",
    "EMAIL_MEDIUMS",
    "HOSTS",
    "HostKind",
    "IN_APP_TOKENS",
    "MASTODON_INSTANCES",
    "ORGANIC_MEDIUMS",
    "PAID_MEDIUMS",
    "PAID_SEARCH_MEDIUMS",
    "PAID_SOCIAL_MEDIUMS",
    "REFERRAL_MEDIUMS",
    "SEARCH_SUBDOMAIN_WORDS",
    "SOCIAL_MEDIUMS",
    "SOURCE_ALIASES",
    "SOURCE_KINDS",
    "DISPLAY_MEDIUMS",
]

HostKind = Literal["social", "search", "email", "paid_search", "display", "referral"]
"""What a referrer host says about a visit. ``referral`` entries only give a tidy source name
(for example AI assistants) while keeping the referral channel."""

_SOCIAL: Final[dict[str, str]] = {
    # Meta
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.me": "facebook",
    "fb.watch": "facebook",
    "messenger.com": "facebook",
    "com.facebook.katana": "facebook",
    "com.facebook.lite": "facebook",
    "com.facebook.orca": "facebook",
    "workplace.com": "workplace",
    "instagram.com": "instagram",
    "com.instagram.android": "instagram",
    "threads.net": "threads",
    "threads.com": "threads",
    "com.instagram.barcelona": "threads",
    "whatsapp.com": "whatsapp",
    "wa.me": "whatsapp",
    "com.whatsapp": "whatsapp",
    # X / Twitter
    "x.com": "x",
    "twitter.com": "x",
    "t.co": "x",
    "com.twitter.android": "x",
    # Bluesky and the fediverse clients that are not instances
    "bsky.app": "bluesky",
    "bsky.social": "bluesky",
    "xyz.blueskyweb.app": "bluesky",
    "elk.zone": "mastodon",
    "phanpy.social": "mastodon",
    "org.joinmastodon.android": "mastodon",
    "pixelfed.social": "pixelfed",
    "lemmy.world": "lemmy",
    "lemmy.ml": "lemmy",
    # Professional, forums, communities
    "linkedin.com": "linkedin",
    "lnkd.in": "linkedin",
    "com.linkedin.android": "linkedin",
    "xing.com": "xing",
    "reddit.com": "reddit",
    "redd.it": "reddit",
    "reddit.app.link": "reddit",
    "com.reddit.frontpage": "reddit",
    "news.ycombinator.com": "hackernews",
    "lobste.rs": "lobsters",
    "quora.com": "quora",
    "tumblr.com": "tumblr",
    "discord.com": "discord",
    "discordapp.com": "discord",
    "slack.com": "slack",
    "com.slack": "slack",
    "t.me": "telegram",
    "telegram.org": "telegram",
    "org.telegram.messenger": "telegram",
    # Video and pictures
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "com.google.android.youtube": "youtube",
    "tiktok.com": "tiktok",
    "com.zhiliaoapp.musically": "tiktok",
    "pin.it": "pinterest",
    "com.pinterest": "pinterest",
    "snapchat.com": "snapchat",
    "twitch.tv": "twitch",
    "vimeo.com": "vimeo",
    "flickr.com": "flickr",
    # Elsewhere
    "vk.com": "vk",
    "ok.ru": "odnoklassniki",
    "odnoklassniki.ru": "odnoklassniki",
    "weibo.com": "weibo",
    "weibo.cn": "weibo",
    "line.me": "line",
    "kakao.com": "kakaotalk",
    "truthsocial.com": "truthsocial",
    "nextdoor.com": "nextdoor",
    "primal.net": "nostr",
    "snort.social": "nostr",
    "iris.to": "nostr",
}

MASTODON_INSTANCES: Final[tuple[str, ...]] = (
    "mastodon.social",
    "mastodon.online",
    "mstdn.social",
    "fosstodon.org",
    "hachyderm.io",
    "infosec.exchange",
    "mas.to",
    "mastodon.world",
    "mastodon.cloud",
    "mastodon.art",
    "mastodon.xyz",
    "mastodon.green",
    "mastodon.lol",
    "mastodon.nl",
    "mastodon.uno",
    "mastodon.ie",
    "mastodon.scot",
    "mastodon.nz",
    "mastodon.au",
    "mastodon.sdf.org",
    "mastodonapp.uk",
    "mastodon.gamedev.place",
    "mstdn.jp",
    "mstdn.ca",
    "mstdn.party",
    "techhub.social",
    "universeodon.com",
    "social.vivaldi.net",
    "toot.community",
    "toot.cafe",
    "chaos.social",
    "ioc.exchange",
    "kolektiva.social",
    "troet.cafe",
    "det.social",
    "norden.social",
    "social.tchncs.de",
    "pawoo.net",
    "aus.social",
    "sfba.social",
    "journa.host",
    "newsie.social",
    "social.coop",
    "tech.lgbt",
    "mathstodon.xyz",
    "scholar.social",
    "indieweb.social",
    "masto.ai",
    "social.linux.pizza",
    "floss.social",
    "qoto.org",
    "c.im",
    "piaille.fr",
    "framapiaf.org",
    "mamot.fr",
    "tenforward.social",
    "discuss.systems",
    "phpc.social",
    "ruby.social",
    "front-end.social",
    "vis.social",
    "mastodon.technology",
    "botsin.space",
)
"""Large Mastodon instances (by registered users). Smaller instances are recognised by the
``/@user`` path of the page the link was on."""

_SEARCH: Final[dict[str, str]] = {
    "bing.com": "bing",
    "search.msn.com": "bing",
    "duckduckgo.com": "duckduckgo",
    "search.yahoo.com": "yahoo",
    "search.yahoo.co.jp": "yahoo",
    "ya.ru": "yandex",
    "baidu.com": "baidu",
    "ecosia.org": "ecosia",
    "startpage.com": "startpage",
    "ixquick.com": "startpage",
    "search.brave.com": "brave",
    "qwant.com": "qwant",
    "ask.com": "ask",
    "search.aol.com": "aol",
    "aolsearch.com": "aol",
    "search.naver.com": "naver",
    "seznam.cz": "seznam",
    "so.com": "360",
    "sogou.com": "sogou",
    "kagi.com": "kagi",
    "mojeek.com": "mojeek",
    "go.mail.ru": "mail.ru",
    "search.lilo.org": "lilo",
    "metager.de": "metager",
    "swisscows.com": "swisscows",
    "presearch.com": "presearch",
    "search.seznam.cz": "seznam",
    "com.google.android.googlequicksearchbox": "google",
}

_EMAIL: Final[dict[str, str]] = {
    "mail.google.com": "gmail",
    "inbox.google.com": "gmail",
    "com.google.android.gm": "gmail",
    "outlook.live.com": "outlook",
    "outlook.office.com": "outlook",
    "outlook.office365.com": "outlook",
    "mail.live.com": "outlook",
    "com.microsoft.office.outlook": "outlook",
    "mail.yahoo.com": "yahoo_mail",
    "mail.yahoo.co.jp": "yahoo_mail",
    "mail.aol.com": "aol_mail",
    "mail.proton.me": "proton_mail",
    "mail.protonmail.com": "proton_mail",
    "mail.zoho.com": "zoho_mail",
    "mail.zoho.eu": "zoho_mail",
    "mail.yandex.ru": "yandex_mail",
    "mail.yandex.com": "yandex_mail",
    "e.mail.ru": "mail.ru",
    "octavius.mail.ru": "mail.ru",
    "fastmail.com": "fastmail",
    "app.tuta.com": "tuta",
    "mail.tutanota.com": "tuta",
    "hey.com": "hey",
    "icloud.com": "icloud_mail",
    "web.de": "web.de",
    "deref-web.de": "web.de",
    "email.t-online.de": "t-online",
    "mail.com": "mail.com",
    "deref-mail.com": "mail.com",
    "webmail.free.fr": "free",
    "mail.orange.fr": "orange",
    "roundcube.net": "roundcube",
}

_PAID: Final[dict[str, tuple[HostKind, str]]] = {
    "googleadservices.com": ("paid_search", "google"),
    "adsensecustomsearchads.com": ("paid_search", "google"),
    "doubleclick.net": ("display", "google"),
    "googlesyndication.com": ("display", "google"),
    "bat.bing.com": ("paid_search", "bing"),
    "taboola.com": ("display", "taboola"),
    "outbrain.com": ("display", "outbrain"),
    "criteo.com": ("display", "criteo"),
}

_NAMED_REFERRALS: Final[dict[str, str]] = {
    "chatgpt.com": "chatgpt",
    "chat.openai.com": "chatgpt",
    "perplexity.ai": "perplexity",
    "claude.ai": "claude",
    "gemini.google.com": "gemini",
    "copilot.microsoft.com": "copilot",
    "chat.mistral.ai": "mistral",
    "news.google.com": "google_news",
}

HOSTS: Final[dict[str, tuple[HostKind, str]]] = {
    **{host: ("social", source) for host, source in _SOCIAL.items()},
    **{host: ("social", "mastodon") for host in MASTODON_INSTANCES},
    **{host: ("search", source) for host, source in _SEARCH.items()},
    **{host: ("email", source) for host, source in _EMAIL.items()},
    **_PAID,
    **{host: ("referral", source) for host, source in _NAMED_REFERRALS.items()},
}
"""Host suffix → (kind, source); see the module docstring for how a host matches."""

ANY_TLD_BRANDS: Final[dict[str, tuple[HostKind, str, frozenset[str] | None]]] = {
    "google": (
        "search",
        "google",
        frozenset({"", "www", "m", "images", "scholar", "encrypted", "ipv4", "ipv6", "books"}),
    ),
    "yandex": ("search", "yandex", None),
    "pinterest": ("social", "pinterest", None),
    "gmx": ("email", "gmx", None),
    "deref-gmx": ("email", "gmx", None),
}
"""Brands on many country domains (``google.co.uk``, ``google.com.br``, ``pinterest.de``):
label → (kind, source, allowed subdomains or ``None`` for any). The label must be followed by
one or two short (at most three letters) labels, so ``google.evil.example`` does not match.
Hosts listed in :data:`HOSTS` (``mail.google.com``) win over this rule."""

SEARCH_SUBDOMAIN_WORDS: Final[frozenset[str]] = frozenset(
    {"search", "isearch", "suche", "recherche", "buscar", "busca", "cerca", "zoeken", "szukaj"}
)
"""A referrer host whose first label is one of these (``search.example.com``,
``suche.web.de``) is a search portal; its source is the label before the top-level domain."""

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
    **{source: "social" for source in _SOCIAL.values()},
    "mastodon": "social",
    "wechat": "social",
    **{source: "search" for source in _SEARCH.values()},
    "google": "search",
    "yandex": "search",
    "yahoo": "search",
    "pinterest": "social",
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
    {"cpc", "ppc", "paid", "cpm", "cpv", "cpa", "cpi", "cpl", "ads", "ad", "retargeting", "sponsored"}
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
