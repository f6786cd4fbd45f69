"""Traffic channel classification: the rules on real-world cases, the bulk SQL path, and
agreement with the Snowplow referer-parser test cases (GPL test data, used here only)."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goodwill.enrich.channel import (
    CHANNELS,
    CLASSIFIER,
    Classification,
    classify,
    enrich_visits,
    extract_features,
    normalise_host,
)
from goodwill.enrich.tracking import IN_APP_TOKENS
from goodwill.warehouse import Warehouse

LANDING = "https://shop.example.com/p/1"
FB_IOS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/21E236 [FBAN/FBIOS;FBAV/456.0.0.36.109;FBBV/598036513;FBDV/iPhone14,5]"
)
FB_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/124.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/462.0.0.41.83;]"
)
INSTAGRAM = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 Instagram 326.0.3.30.91 (iPhone14,5; iOS 17_4; en_US; en; scale=3.00)"
)
LINKEDIN = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [LinkedInApp]/9.29.7612"
)
TIKTOK = (
    "Mozilla/5.0 (Linux; Android 13; SM-S908B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
    "120.0 Mobile Safari/537.36 musical_ly_2023405030 JsSdk/1.0 NetType/WIFI "
    "BytedanceWebview/d8a21c6"
)
X_IPHONE = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 Twitter for iPhone/10.40"
PINTEREST = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 [Pinterest/iOS]"
PINTERESTBOT = "Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


CASE_TABLE = """
# (1) UTM spellings
utm-fb-social              social      facebook     utm:source=fb,medium=social
    q=?utm_source=fb&utm_medium=social
utm-mfb                    social      facebook     utm:source=m.facebook.com,medium=social-media
    q=?utm_source=m.facebook.com&utm_medium=social-media
utm-ig-sm                  social      instagram    utm:source=ig,medium=sm
    q=?utm_source=ig&utm_medium=sm
utm-insta                  social      instagram    utm:source=insta,medium=organic_social
    q=?UTM_SOURCE=Insta&utm_medium=organic_social
utm-tco                    social      x            utm:source=t.co,medium=social
    q=?utm_source=t.co&utm_medium=social
utm-twitter-no-medium      social      x            utm:source=twitter,medium=
    q=?utm_source=twitter
utm-lnkd                   social      linkedin     utm:source=lnkd.in,medium=social
    q=?utm_source=lnkd.in&utm_medium=social
utm-bsky                   social      bluesky      utm:source=bsky,medium=social
    q=?utm_source=bsky&utm_medium=social
utm-masto                  social      mastodon     utm:source=masto,medium=social
    q=?utm_source=masto&utm_medium=social
utm-instance               social      mastodon     utm:source=fosstodon.org,medium=social
    q=?utm_source=fosstodon.org&utm_medium=social
utm-word                   social      facebook     utm:source=facebook_organic,medium=post
    q=?utm_source=Facebook_Organic&utm_medium=post
utm-fb-cpc                 paid_social facebook     utm:source=facebook,medium=cpc
    q=?utm_source=facebook&utm_medium=cpc
utm-paidsocial             paid_social instagram    utm:source=ig,medium=paidsocial
    q=?utm_source=ig&utm_medium=paidsocial
utm-li-cpm                 paid_social linkedin     utm:source=linkedin,medium=cpm
    q=?utm_source=linkedin&utm_medium=cpm
utm-google-cpc             paid_search google       utm:source=google,medium=cpc
    q=?utm_source=google&utm_medium=cpc
utm-bing-ppc               paid_search bing         utm:source=bing,medium=ppc
    q=?utm_source=bing&utm_medium=ppc
utm-gdn                    display     google       utm:source=google,medium=display
    q=?utm_source=google&utm_medium=display
utm-banner                 display     adnet        utm:source=adnet,medium=banner
    q=?utm_source=adnet&utm_medium=banner
utm-email                  email       newsletter   utm:source=newsletter,medium=email
    q=?utm_source=newsletter&utm_medium=email
utm-e-mail                 email       weekly_digest utm:source=weekly_digest,medium=e-mail
    q=?utm_source=weekly_digest&utm_medium=e-mail
utm-aff                    referral    partner.org  utm:source=partner.org,medium=affiliate
    q=?utm_source=partner.org&utm_medium=affiliate
utm-organic                search      google       utm:source=google,medium=organic
    q=?utm_source=google&utm_medium=organic
utm-beats-referrer         social      facebook     utm:source=facebook,medium=social_media
    q=?utm_source=Facebook&utm_medium=Social+Media
    ref=https://www.google.com/
# explicit columns override the landing URL, one parameter at a time
utm-explicit               paid_social facebook     utm:source=facebook,medium=paid_social
    q=?utm_source=google&utm_medium=paid_social
    src=facebook
utm-explicit-both          email       mailchimp    utm:source=mailchimp,medium=newsletter
    q=?utm_source=x&utm_medium=social
    src=Mailchimp
    med=Newsletter
# an unrecognised tag yields to stronger evidence, else stays "other"
utm-unknown-then-referrer  social      x            referrer:t.co
    q=?utm_source=qr_flyer
    ref=https://t.co/xyz
utm-unknown                other       qr_flyer     utm:source=qr_flyer,medium=print
    q=?utm_source=qr_flyer&utm_medium=print
# (2) click ids
fbclid                     social      facebook     click_id:fbclid
    q=?fbclid=IwAR2abc
gclid                      paid_search google       click_id:gclid
    q=?gclid=Cj0KCQ&utm_content=x
    ref=https://www.google.com/
gbraid                     paid_search google       click_id:gbraid
    q=?gbraid=0AAAAA
wbraid                     paid_search google       click_id:wbraid
    q=?x=1&wbraid=CjkKCQ
msclkid                    paid_search bing         click_id:msclkid
    q=?msclkid=abc123
twclid                     paid_social x            click_id:twclid
    q=?twclid=2-x
li_fat_id                  paid_social linkedin     click_id:li_fat_id
    q=?li_fat_id=abc
ttclid                     paid_social tiktok       click_id:ttclid
    q=?ttclid=E.C.P
igshid                     social      instagram    click_id:igshid
    q=?igshid=MzRlODBiNWFlZA==
epik                       paid_social pinterest    click_id:epik
    q=?epik=dj0
rdt_cid                    paid_social reddit       click_id:rdt_cid
    q=?rdt_cid=123
click-priority             paid_search google       click_id:gclid
    q=?fbclid=1&gclid=2
# (3) referrer hosts
tco                        social      x            referrer:t.co
    ref=https://t.co/AbCdEf
x.com                      social      x            referrer:x.com
    ref=https://x.com/someone/status/1
mobile.twitter             social      x            referrer:twitter.com
    ref=https://mobile.twitter.com/
bsky.app                   social      bluesky      referrer:bsky.app
    ref=https://bsky.app/profile/alice.bsky.social/post/3k
go.bsky.app                social      bluesky      referrer:bsky.app
    ref=https://go.bsky.app/redirect?u=https%3A%2F%2Fshop.example.com
threads.net                social      threads      referrer:threads.net
    ref=https://www.threads.net/@alice/post/C1
l.threads.com              social      threads      referrer:threads.com
    ref=https://l.threads.com/?u=x
l.facebook                 social      facebook     referrer:facebook.com
    ref=https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example.com
lm.facebook                social      facebook     referrer:facebook.com
    ref=http://lm.facebook.com/
l.instagram                social      instagram    referrer:instagram.com
    ref=https://l.instagram.com/
lnkd.in                    social      linkedin     referrer:lnkd.in
    ref=https://lnkd.in/eXyZ
linkedin                   social      linkedin     referrer:linkedin.com
    ref=https://www.linkedin.com/feed/
old.reddit                 social      reddit       referrer:reddit.com
    ref=https://old.reddit.com/r/python/comments/1
out.reddit                 social      reddit       referrer:reddit.com
    ref=https://out.reddit.com/t3_1?url=x
youtube                    social      youtube      referrer:youtube.com
    ref=https://m.youtube.com/watch?v=1
hn                         social      hackernews   referrer:news.ycombinator.com
    ref=https://news.ycombinator.com/item?id=1
pinterest.de               social      pinterest    referrer:pinterest.*
    ref=https://www.pinterest.de/pin/1/
android-app                social      x            referrer:com.twitter.android
    ref=android-app://com.twitter.android/
# Mastodon: listed instances and any host with a /@user path
mastodon.social            social      mastodon     referrer:mastodon.social
    ref=https://mastodon.social/
hachyderm                  social      mastodon     referrer:hachyderm.io
    ref=https://hachyderm.io/@alice/111
infosec.exchange           social      mastodon     referrer:infosec.exchange
    ref=https://infosec.exchange/home
unknown-instance-status    social      mastodon     mastodon_path:/@user
    ref=https://toot.small-town.example/@bob/112233445566
unknown-instance-profile   social      mastodon     mastodon_path:/@user
    ref=https://social.example.net/@carol
old-web-ui                 social      mastodon     mastodon_path:/@user
    ref=https://social.example.net/web/@carol/1
medium-not-mastodon        referral    medium.com   referrer:medium.com
    ref=https://medium.com/@dave/my-post-123
instance-no-path           referral    social.example.net referrer:unlisted
    ref=https://social.example.net/about
# search engines
google.com                 search      google       referrer:google.*
    ref=https://www.google.com/
google.co.uk               search      google       referrer:google.*
    ref=https://www.google.co.uk/search?q=shop
google.com.br              search      google       referrer:google.*
    ref=https://www.google.com.br/
google.de                  search      google       referrer:google.*
    ref=https://google.de
google-lookalike           referral    google.evil.example referrer:unlisted
    ref=https://google.evil.example/
google-docs                referral    docs.google.com referrer:unlisted
    ref=https://docs.google.com/document/d/1
bing                       search      bing         referrer:bing.com
    ref=https://www.bing.com/
ddg                        search      duckduckgo   referrer:duckduckgo.com
    ref=https://duckduckgo.com/
yahoo                      search      yahoo        referrer:search.yahoo.com
    ref=https://r.search.yahoo.com/_ylt=x
yandex.ru                  search      yandex       referrer:yandex.*
    ref=https://yandex.ru/
baidu                      search      baidu        referrer:baidu.com
    ref=https://www.baidu.com/
ecosia                     search      ecosia       referrer:ecosia.org
    ref=https://www.ecosia.org/
startpage                  search      startpage    referrer:startpage.com
    ref=https://www.startpage.com/
brave                      search      brave        referrer:search.brave.com
    ref=https://search.brave.com/search?q=x
qwant                      search      qwant        referrer:qwant.com
    ref=https://www.qwant.com/
# webmail
gmail                      email       gmail        referrer:mail.google.com
    ref=https://mail.google.com/mail/u/0/
outlook                    email       outlook      referrer:outlook.live.com
    ref=https://outlook.live.com/
yahoo-mail                 email       yahoo_mail   referrer:mail.yahoo.com
    ref=https://mail.yahoo.com/d/folders/1
gmx                        email       gmx          referrer:gmx.*
    ref=https://www.gmx.net/
# internal referrers
internal                   direct      (direct)     referrer:internal
    ref=https://shop.example.com/cart
internal-www-port          direct      (direct)     referrer:internal
    url=https://shop.example.com/
    ref=HTTPS://WWW.Shop.Example.com:443/
internal-site-host         direct      (direct)     referrer:internal
    ref=https://www.example.com/blog
    site=example.com
parent-is-not-internal     referral    example.com  referrer:unlisted
    ref=https://example.com/
# (4) in-app browsers
ua-fb-ios                  social      facebook     in_app:FBAN
    ua=FB_IOS
ua-fb-android              social      facebook     in_app:FB_IAB
    ua=FB_ANDROID
ua-instagram               social      instagram    in_app:Instagram
    ua=INSTAGRAM
ua-linkedin                social      linkedin     in_app:LinkedInApp
    ua=LINKEDIN
ua-tiktok                  social      tiktok       in_app:musical_ly
    ua=TIKTOK
ua-x                       social      x            in_app:Twitter for iPhone
    ua=X_IPHONE
ua-pinterest               social      pinterest    in_app:Pinterest
    ua=PINTEREST
ua-pinterestbot            direct      (direct)     none
    ua=PINTERESTBOT
ua-internal                social      facebook     in_app:FBAN
    ref=https://shop.example.com/
    ua=FB_IOS
referrer-beats-ua          social      x            referrer:t.co
    ref=https://t.co/x
    ua=FB_IOS
# AI assistants: their own channel (issue 14), by referrer and by utm_source tag
ai-chatgpt-ref             ai_assistant chatgpt     referrer:chatgpt.com
    ref=https://chatgpt.com/
ai-chatgpt-utm             ai_assistant chatgpt     utm:source=chatgpt.com,medium=
    q=?utm_source=chatgpt.com
ai-perplexity              ai_assistant perplexity  referrer:perplexity.ai
    ref=https://www.perplexity.ai/search/best-coffee-beans
ai-gemini                  ai_assistant gemini      referrer:gemini.google.com
    ref=https://gemini.google.com/
ai-copilot-edge            ai_assistant copilot     referrer:edgeservices.bing.com
    ref=https://edgeservices.bing.com/edgesvc/chat
ai-claude-utm-referral     ai_assistant claude      utm:source=claude,medium=referral
    q=?utm_source=claude&utm_medium=referral
ai-paid-is-not-ai          other       perplexity   utm:source=perplexity,medium=cpc
    q=?utm_source=perplexity&utm_medium=cpc
bing-still-search          search      bing         referrer:bing.com
    ref=https://www.bing.com/
# (5) referral and direct
referral                   referral    blog.example.org referrer:unlisted
    ref=https://www.blog.example.org/2026/post
idn                        referral    münchen.de   referrer:unlisted
    ref=https://www.xn--mnchen-3ya.de/
no-scheme                  referral    partner.org  referrer:unlisted
    ref=partner.org/links
userinfo-port-dot          referral    partner.org  referrer:unlisted
    ref=https://user:pw@Partner.ORG.:8443/x
direct                     direct      (direct)     none
    ua=FIREFOX
dash                       direct      (direct)     none
    ref=-
empty                      direct      (direct)     none
    url=
    ref=
none                       direct      (direct)     none
    url=None
about-blank                direct      (direct)     none
    ref=about:blank
garbage                    direct      (direct)     none
    url=::::
    ref=http://
localhost                  direct      (direct)     none
    ref=http://localhost:3000/
bad-port                   direct      (direct)     none
    ref=https://[::1
bad-idn                    referral    xn--zz.example referrer:unlisted
    ref=https://xn--zz.example/
"""
"""Real-world cases, one per block: ``id channel source evidence`` and then the visit, one
``field=value`` per indented line (``q``: query string of the default landing URL; ``url``:
the landing URL, ``None`` for none; ``ref``, ``src``, ``med``, ``site``: referrer, explicit
utm_source/utm_medium, site_host; ``ua``: the name of a user agent above)."""

USER_AGENTS = {
    "FB_IOS": FB_IOS,
    "FB_ANDROID": FB_ANDROID,
    "INSTAGRAM": INSTAGRAM,
    "LINKEDIN": LINKEDIN,
    "TIKTOK": TIKTOK,
    "X_IPHONE": X_IPHONE,
    "PINTEREST": PINTEREST,
    "PINTERESTBOT": PINTERESTBOT,
    "FIREFOX": FIREFOX,
}
FIELDS = {
    "url": "landing_url",
    "ref": "referrer",
    "src": "utm_source",
    "med": "utm_medium",
    "ua": "user_agent",
    "site": "site_host",
}


def _parse_cases(table: str) -> list[tuple[str, dict[str, str | None], Classification]]:
    cases: list[tuple[str, dict[str, str | None], Classification]] = []
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            case_id, channel, source, evidence = line.split(maxsplit=3)
            visit: dict[str, str | None] = {"landing_url": LANDING, "referrer": None}
            cases.append((case_id, visit, Classification(channel, source, evidence)))  # type: ignore[arg-type]
            continue
        key, _, value = line.strip().partition("=")
        if key == "q":
            visit["landing_url"] = LANDING + value
        else:
            field = FIELDS[key]
            visit[field] = USER_AGENTS[value] if key == "ua" else None if value == "None" else value
    return cases


CASES = _parse_cases(CASE_TABLE)


def test_case_table_parses() -> None:
    ids = [case_id for case_id, _, _ in CASES]
    assert len(ids) == len(set(ids)) > 100
    assert {expected.channel for _, _, expected in CASES} == set(CHANNELS)


@pytest.mark.parametrize(("visit", "expected"), [pytest.param(v, e, id=i) for i, v, e in CASES])
def test_classify_real_world_cases(visit: dict[str, str | None], expected: Classification) -> None:
    assert classify(**visit) == expected


def test_utm_in_landing_url_is_percent_and_plus_decoded() -> None:
    got = classify(
        referrer=None, landing_url=f"{LANDING}?utm_source=Face%62ook&utm_medium=Social+Media"
    )
    assert got == Classification("social", "facebook", "utm:source=facebook,medium=social_media")


def test_bad_idn_host_is_kept_as_text_not_raised() -> None:
    assert normalise_host("xn--zz.example") == "xn--zz.example"
    assert normalise_host("EXAMPLE.com.:80") == "example.com"
    assert normalise_host("-") is None
    assert normalise_host(None) is None


def test_constants() -> None:
    assert CLASSIFIER == "rules-2"  # rules-2: the ai_assistant channel
    assert len(set(CHANNELS)) == 10
    # in-app tokens are spliced into one regular expression shared by RE2 and Python re
    assert all(re.fullmatch(r"[A-Za-z_/ ]+", token) for token, _ in IN_APP_TOKENS)


# -- never raises ----------------------------------------------------------------------------
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
URL_PIECES = st.sampled_from(
    [
        "",
        "https://",
        "http://www.",
        "//",
        "android-app://",
        "HTTPS://WWW.",
        "mailto:",
        "xn--",
        "t.co",
        "facebook.com",
        "mastodon.social",
        "example.org",
        "google.co.uk",
        ":8080",
        "@",
        "/@user",
        "/web/@u/1",
        "/path",
        "?utm_source=",
        "&utm_medium=",
        "fb",
        "cpc",
        "social",
        "?fbclid=",
        "&GCLID=",
        "#",
        "%",
        "%zz",
        "+",
        ".",
        "[",
        "]",
        " ",
        "\t",
        "\n",
        "é",
        "日本",
    ]
)
URLISH = st.one_of(TEXT, st.lists(URL_PIECES, max_size=8).map("".join), st.none())
UA = st.one_of(
    st.none(), TEXT, st.sampled_from([FB_IOS, INSTAGRAM, TIKTOK, PINTERESTBOT, FIREFOX, ""])
)


@settings(max_examples=300, deadline=None)
@given(
    referrer=URLISH,
    landing_url=URLISH,
    utm_source=st.one_of(st.none(), TEXT),
    utm_medium=st.one_of(st.none(), TEXT),
    user_agent=UA,
    site_host=st.one_of(st.none(), URLISH),
)
def test_classify_never_raises(
    referrer: str | None,
    landing_url: str | None,
    utm_source: str | None,
    utm_medium: str | None,
    user_agent: str | None,
    site_host: str | None,
) -> None:
    got = classify(
        referrer=referrer,
        landing_url=landing_url,
        utm_source=utm_source,
        utm_medium=utm_medium,
        user_agent=user_agent,
        site_host=site_host,
    )
    assert got.channel in CHANNELS
    assert got.source
    assert got.evidence == "none" or re.fullmatch(r"[a-z_]+:.+", got.evidence)


# -- the bulk path -----------------------------------------------------------------------------
VisitRow = tuple[str, str | None, str | None, str | None, str | None, str | None]
"""(visit_id, landing_url, referrer, utm_source, utm_medium, user_agent)"""


def _insert(wh: Warehouse, rows: list[VisitRow]) -> None:
    wh.con.executemany(
        "INSERT INTO visits (visit_id, started_at, visitor_id, landing_url, referrer, "
        "utm_source, utm_medium, user_agent) "
        "VALUES (?, TIMESTAMP '2026-03-01 10:00:00', 'visitor', coalesce(?, ''), ?, ?, ?, ?)",
        rows,
    )


def _channels(wh: Warehouse) -> dict[str, tuple[str, str, str, str]]:
    rows = wh.query("SELECT visit_id, channel, source, evidence, classifier FROM visit_channels")
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


@pytest.fixture
def wh() -> Iterator[Warehouse]:
    with Warehouse.open(":memory:") as warehouse:
        yield warehouse


HANDFUL: list[VisitRow] = [
    ("v1", f"{LANDING}?utm_source=fb&utm_medium=social", None, None, None, None),
    ("v2", LANDING, "https://t.co/abc", None, None, None),
    ("v3", f"{LANDING}?gclid=1", "https://www.google.com/", None, None, None),
    ("v4", LANDING, None, None, None, FB_IOS),
    ("v5", LANDING, "https://toot.example/@bob/1", None, None, None),
    ("v6", LANDING, None, None, None, FIREFOX),
    ("v7", LANDING, "https://blog.example.org/x", "newsletter", "email", None),
]


def test_enrich_visits_writes_rows_and_is_idempotent(wh: Warehouse) -> None:
    _insert(wh, HANDFUL)
    assert enrich_visits(wh.con) == 7
    got = _channels(wh)
    assert got == {
        "v1": ("social", "facebook", "utm:source=fb,medium=social", CLASSIFIER),
        "v2": ("social", "x", "referrer:t.co", CLASSIFIER),
        "v3": ("paid_search", "google", "click_id:gclid", CLASSIFIER),
        "v4": ("social", "facebook", "in_app:FBAN", CLASSIFIER),
        "v5": ("social", "mastodon", "mastodon_path:/@user", CLASSIFIER),
        "v6": ("direct", "(direct)", "none", CLASSIFIER),
        "v7": ("email", "newsletter", "utm:source=newsletter,medium=email", CLASSIFIER),
    }
    assert enrich_visits(wh.con) == 0  # nothing missing
    assert enrich_visits(wh.con, only_missing=False) == 7  # everything again, same result
    assert _channels(wh) == got
    assert wh.count("visit_channels") == 7
    assert wh.query("SELECT count(*) FROM duckdb_tables() WHERE temporary") == [(0,)]


def test_only_missing_leaves_existing_rows(wh: Warehouse) -> None:
    _insert(wh, HANDFUL[:2])
    wh.con.execute("INSERT INTO visit_channels VALUES ('v1', 'other', 'manual', 'manual', 'x')")
    assert enrich_visits(wh.con) == 1
    got = _channels(wh)
    assert got["v1"] == ("other", "manual", "manual", "x")
    assert got["v2"][0] == "social"
    _insert(wh, HANDFUL[2:4])
    assert enrich_visits(wh.con) == 2
    assert set(_channels(wh)) == {"v1", "v2", "v3", "v4"}
    assert enrich_visits(wh.con, only_missing=False) == 4
    assert _channels(wh)["v1"][:2] == ("social", "facebook")


def test_enrich_visits_runs_in_the_callers_transaction(wh: Warehouse) -> None:
    _insert(wh, HANDFUL)
    wh.con.execute("BEGIN TRANSACTION")
    assert enrich_visits(wh.con) == 7
    wh.con.execute("ROLLBACK")
    assert wh.count("visit_channels") == 0
    with wh.transaction():
        enrich_visits(wh.con)
    assert wh.count("visit_channels") == 7


def test_enrich_visits_on_an_empty_table(wh: Warehouse) -> None:
    assert enrich_visits(wh.con) == 0
    assert wh.count("visit_channels") == 0


def test_site_host_marks_internal_referrers(wh: Warehouse) -> None:
    _insert(wh, [("v1", LANDING, "https://www.example.com/blog", None, None, None)])
    enrich_visits(wh.con)
    assert _channels(wh)["v1"][:2] == ("referral", "example.com")
    enrich_visits(wh.con, only_missing=False, site_host="https://Example.com/")
    assert _channels(wh)["v1"][:3] == ("direct", "(direct)", "referrer:internal")


def _sql_agrees_with_python(rows: list[VisitRow], site_host: str | None = None) -> None:
    wh = _shared_warehouse()
    wh.con.execute("DELETE FROM visits")
    wh.con.execute("DELETE FROM visit_channels")
    _insert(wh, rows)
    enrich_visits(wh.con, site_host=site_host)
    got = _channels(wh)
    for visit_id, landing, referrer, utm_source, utm_medium, user_agent in rows:
        expected = classify(
            referrer=referrer,
            landing_url=landing or "",
            utm_source=utm_source,
            utm_medium=utm_medium,
            user_agent=user_agent,
            site_host=site_host,
        )
        assert got[visit_id][:3] == (expected.channel, expected.source, expected.evidence), (
            visit_id,
            landing,
            referrer,
            utm_source,
            utm_medium,
            user_agent,
        )


@cache
def _shared_warehouse() -> Warehouse:
    return Warehouse.open(":memory:")


def _varied_sample(n: int, seed: int) -> list[VisitRow]:
    rnd = random.Random(seed)
    referrers = [None, "", "-", LANDING, *(visit["referrer"] for _, visit, _ in CASES)]
    landings = [visit["landing_url"] for _, visit, _ in CASES]
    uas = [None, "", FB_IOS, FB_ANDROID, INSTAGRAM, LINKEDIN, TIKTOK, X_IPHONE, PINTERESTBOT]
    utms = [None, "", " ", "fb", "Google", "newsletter", "x.com", "qr"]
    mediums = [None, "", "cpc", "social", "email", "display", "weird"]
    return [
        (
            f"v{i}",
            rnd.choice(landings),
            rnd.choice(referrers),
            rnd.choice(utms),
            rnd.choice(mediums),
            rnd.choice(uas),
        )
        for i in range(n)
    ]


def test_sql_features_agree_with_classify_on_a_varied_sample() -> None:
    sample = _varied_sample(3000, seed=7)
    _sql_agrees_with_python(sample)
    _sql_agrees_with_python(sample, site_host="example.com")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(URLISH, URLISH, st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT), UA),
        min_size=1,
        max_size=25,
    )
)
def test_sql_features_agree_with_python_features(
    visits: list[tuple[str | None, str | None, str | None, str | None, str | None]],
) -> None:
    rows = [(f"v{i}", *visit) for i, visit in enumerate(visits)]
    _sql_agrees_with_python(rows)


def test_extract_features_sees_explicit_utm_first() -> None:
    f = extract_features(
        referrer=None, landing_url="/?utm_source=a&utm_medium=b", utm_source="c", utm_medium=""
    )
    assert (f.utm_source, f.utm_medium) == ("c", "b")


# -- agreement with Snowplow's referer-parser test cases ------------------------------------------
REFERER_TESTS = Path(__file__).parents[2].parent / "shared/data/referer-parser/referer-tests.json"
REFERER_PARSER_MIN_AGREEMENT = 0.75
"""Measured 30/37 = 0.81 on the social and search cases at upstream commit 59119136 (rules-1).
The misses are small portals (PriceRunner, Dalesearch, search-results.com, meta.ua, AOL UK,
searchassist.babylon.com) and lnk.bio. The data is GPL-3: it is read here, never shipped."""


@pytest.mark.skipif(not REFERER_TESTS.exists(), reason="shared referer-parser data not present")
def test_agreement_with_referer_parser_on_social_and_search() -> None:
    cases = [
        c for c in json.loads(REFERER_TESTS.read_text()) if c["medium"] in ("social", "search")
    ]
    assert len(cases) >= 30
    agree = sum(
        classify(referrer=c["uri"], landing_url="https://www.psychicbazaar.com/").channel
        == c["medium"]
        for c in cases
    )
    share = agree / len(cases)
    print(f"referer-parser agreement (social+search medium): {agree}/{len(cases)} = {share:.2f}")
    assert share >= REFERER_PARSER_MIN_AGREEMENT
