"""Rendering posts, links and interactions as interchange rows, with platform-like ids.

Ids are unique per platform across posts and interactions (so ``in_reply_to`` is never
ambiguous): Mastodon- and X-style snowflakes and Bluesky TIDs, in time order. A few values are
deliberately awkward but valid: 4 % of inbound actor handles carry a leading ``@`` and mixed
case, 3 % of target handles are written ``@Fernhill``, 3 % of timestamps carry a ``+02:00``
offset, Mastodon uses millisecond ``Z`` times and X ``+00:00``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from goodwill.simulate.clock import Clock, bluesky_tid, snowflake
from goodwill.simulate.people import Population
from goodwill.simulate.social import ACCOUNTS, Interactions, Posts
from goodwill.simulate.spec import SOCIAL_PLATFORMS

__all__ = ["Row", "SocialRows", "render_social"]

Row = dict[str, str | None]
_STYLE = ("ms", "+00:00", "ms")


@dataclass(frozen=True, kw_only=True)
class SocialRows:
    posts: list[Row]
    interactions: list[Row]
    links: list[Row]
    post_ids: list[str]
    interaction_ids: list[str]


def _assign_ids(clock: Clock, posts: Posts, social: Interactions) -> tuple[list[str], list[str]]:
    post_ids = [""] * len(posts.t)
    inter_ids = [""] * len(social)
    s_plat = np.array(social.platform, np.int64)
    s_t = np.array(social.t, np.int64)
    for p in range(3):
        pi = np.flatnonzero(posts.platform == p)
        si = np.flatnonzero(s_plat == p)
        t = np.concatenate([posts.t[pi], s_t[si]])
        src = np.concatenate([np.zeros(len(pi), np.int64), np.ones(len(si), np.int64)])
        idx = np.concatenate([pi, si])
        order = np.lexsort((idx, src, t))
        for rank, k in enumerate(order.tolist()):
            ms = clock.unix_ms(int(t[k]))
            ident = bluesky_tid(ms, rank) if p == 2 else snowflake(ms, rank, twitter=p == 1)
            if src[k] == 0:
                post_ids[int(idx[k])] = ident
            else:
                inter_ids[int(idx[k])] = ident
    return post_ids, inter_ids


def _post_url(platform: int, handle: str, ident: str) -> str:
    if platform == 0:
        return f"https://mastodon.social/@{handle}/{ident}"
    if platform == 1:
        return f"https://x.com/{handle}/status/{ident}"
    return f"https://bsky.app/profile/{handle}.bsky.social/post/{ident}"


def _person_url(platform: int, handle: str, ident: str) -> str:
    if platform == 0:
        local, _, instance = handle.partition("@")
        return f"https://{instance}/@{local}/{ident}"
    if platform == 1:
        return f"https://x.com/{handle}/status/{ident}"
    return f"https://bsky.app/profile/{handle}/post/{ident}"


def _awkward(rng: np.random.Generator, handle: str) -> str:
    return "@" + (handle[:1].upper() + handle[1:] if rng.random() < 0.7 else handle.upper())


def render_social(
    rng: np.random.Generator, clock: Clock, pop: Population, posts: Posts, social: Interactions
) -> SocialRows:
    post_ids, inter_ids = _assign_ids(clock, posts, social)
    post_rows: list[Row] = []
    link_rows: list[Row] = []
    for i in range(len(posts.t)):
        p, acc = int(posts.platform[i]), ACCOUNTS[int(posts.account[i])]
        post_rows.append(
            {
                "platform": SOCIAL_PLATFORMS[p],
                "post_id": post_ids[i],
                "handle": acc.handle,
                "created_at": clock.iso(int(posts.t[i]), _STYLE[p]),
                "text": posts.text[i],
                "url": _post_url(p, acc.handle, post_ids[i]),
                "campaign": posts.campaign[i],
                "link_code": posts.link_code[i],
            }
        )
        code = posts.link_code[i]
        if code is not None:
            link_rows.append(
                {
                    "code": code,
                    "destination_url": posts.destination[i],
                    "platform": SOCIAL_PLATFORMS[p],
                    "campaign": posts.campaign[i],
                    "post_id": post_ids[i],
                    "person_ref": None,
                }
            )
    rows: list[Row] = []
    for i in range(len(social)):
        p, person = social.platform[i], social.person[i]
        handle = pop.names.handles[person][p]
        acc = ACCOUNTS[social.account[i]]
        style = "+02:00" if rng.random() < 0.03 else _STYLE[p]
        reply_to = social.reply_to[i]
        in_reply_to = (
            post_ids[social.post[i]]
            if reply_to == -2
            else inter_ids[reply_to]
            if reply_to >= 0
            else None
        )
        if social.outbound[i]:
            actor, actor_name, target = acc.handle, acc.display_name, handle
            url = None if social.kind[i] == "dm" else _post_url(p, acc.handle, inter_ids[i])
        else:
            actor = _awkward(rng, handle) if rng.random() < 0.04 else handle
            actor_name = pop.names.social_names[person][p]
            target = "@" + acc.handle.title() if rng.random() < 0.03 else acc.handle
            has_url = social.text[i] is not None and social.kind[i] != "dm"
            url = _person_url(p, handle, inter_ids[i]) if has_url else None
        rows.append(
            {
                "platform": SOCIAL_PLATFORMS[p],
                "interaction_id": inter_ids[i],
                "created_at": clock.iso(social.t[i], style),
                "kind": social.kind[i],
                "direction": "outbound" if social.outbound[i] else "inbound",
                "actor_handle": actor,
                "actor_name": actor_name,
                "target_handle": target,
                "post_id": post_ids[social.post[i]] if social.post[i] >= 0 else None,
                "in_reply_to": in_reply_to,
                "text": social.text[i],
                "url": url,
            }
        )
    order = sorted(range(len(rows)), key=lambda k: (social.platform[k], social.t[k], k))
    return SocialRows(
        posts=post_rows,
        interactions=[rows[k] for k in order],
        links=link_rows,
        post_ids=post_ids,
        interaction_ids=inter_ids,
    )
