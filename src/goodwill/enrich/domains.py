"""The channel classifier's own lists of referrer hosts: social networks, Mastodon instances,
search engines, webmail and ad servers.

Written for goodwill from public knowledge of the networks (not derived from any third-party
referrer database). Every name here is lowercase.

Host tables map a host *suffix* to ``(kind, source)``: a referrer host matches an entry when it
equals the key or ends with ``"." + key`` (the longest matching key wins), so ``facebook.com``
also covers ``m.facebook.com``, ``l.facebook.com`` and ``lm.facebook.com``. Android app
referrers (``android-app://com.twitter.android/``) carry the package name where the host
goes, so package names are listed like hosts.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = [
    "AI_ASSISTANTS",
    "AI_SOURCE_ALIASES",
    "ANY_TLD_BRANDS",
    "HOSTS",
    "MASTODON_INSTANCES",
    "SEARCH_SUBDOMAIN_WORDS",
    "HostKind",
]

HostKind = Literal[
    "social", "search", "email", "paid_search", "display", "referral", "ai_assistant"
]
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

AI_ASSISTANTS: Final[dict[str, str]] = {
    "chatgpt.com": "chatgpt",
    "chat.openai.com": "chatgpt",
    "perplexity.ai": "perplexity",
    "claude.ai": "claude",
    "gemini.google.com": "gemini",
    "bard.google.com": "gemini",
    "copilot.microsoft.com": "copilot",
    "copilot.cloud.microsoft": "copilot",
    "edgeservices.bing.com": "copilot",
    "chat.mistral.ai": "mistral",
    "chat.deepseek.com": "deepseek",
    "grok.com": "grok",
    "meta.ai": "meta_ai",
}
"""AI assistants' hosts → source: answers that link to the site (the ``ai_assistant`` channel).
``edgeservices.bing.com`` is Copilot in the Edge sidebar; ``bing.com`` itself stays search."""

AI_SOURCE_ALIASES: Final[dict[str, str]] = {
    "chatgpt": "chatgpt",
    "chat.openai.com": "chatgpt",
    "openai": "chatgpt",
    "perplexity": "perplexity",
    "perplexity.ai": "perplexity",
    "claude": "claude",
    "claude.ai": "claude",
    "anthropic": "claude",
    "gemini": "gemini",
    "bard": "gemini",
    "copilot": "copilot",
    "bing_chat": "copilot",
    "mistral": "mistral",
    "lechat": "mistral",
    "deepseek": "deepseek",
    "grok": "grok",
}
"""``utm_source`` tags of AI assistants (ChatGPT adds ``utm_source=chatgpt.com`` to the links
in its answers; hosts in a tag are looked up in :data:`AI_ASSISTANTS` as well)."""

_NAMED_REFERRALS: Final[dict[str, str]] = {
    "news.google.com": "google_news",
}

_AT_PATH_SITES: Final[tuple[str, ...]] = (
    "medium.com",
    "substack.com",
    "hashnode.com",
    "figma.com",
    "replit.com",
    "glitch.com",
    "producthunt.com",
    "observablehq.com",
)
"""Sites that are not on the fediverse but have ``/@user`` pages: listed as plain referrals so
the Mastodon path rule leaves them alone."""

HOSTS: Final[dict[str, tuple[HostKind, str]]] = {
    **{host: ("social", source) for host, source in _SOCIAL.items()},
    **{host: ("social", "mastodon") for host in MASTODON_INSTANCES},
    **{host: ("search", source) for host, source in _SEARCH.items()},
    **{host: ("email", source) for host, source in _EMAIL.items()},
    **_PAID,
    **{host: ("ai_assistant", source) for host, source in AI_ASSISTANTS.items()},
    **{host: ("referral", source) for host, source in _NAMED_REFERRALS.items()},
    **{host: ("referral", host) for host in _AT_PATH_SITES},
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
