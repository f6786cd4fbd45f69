"""Column headers in plain words: every table of the report shows a label, not a column name,
and each label carries a one-line definition (a tooltip on screen, a footnote in print).

:func:`label_table` rewrites a :class:`~goodwill.report.sections.TableBlock` in place; the
report calls it on every table, so section builders may keep the modules' column names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from goodwill.report.sections import TableBlock

__all__ = ["COLUMN_LABELS", "column_label", "label_table"]

COLUMN_LABELS: dict[str, tuple[str, str]] = {
    # dimensions
    "period": ("Period", "The month (or quarter, or year) the row covers."),
    "horizon": ("Horizon", "Short-term (a month) or long-term (a quarter or a year)."),
    "count": ("Count", "How many on that day."),
    "platform": ("Platform", "The social network or source the row comes from."),
    "channel": ("Channel", "How visitors reached the website (social, search, direct, …)."),
    "source": ("Source", "The site or network a visit came from."),
    "data_source": ("Data from", "Which import the visits were read from."),
    "account": ("Account", "The brand's account that received the messages."),
    "campaign": ("Campaign", "The campaign the post or visit belongs to."),
    "handle": ("Account", "The brand's account that posted."),
    "text": ("Text", "What was written."),
    "rank": ("Rank", "Position by engagement, 1 = most."),
    "created_at": ("Written", "When the message was written (UTC)."),
    "actor_handle": ("From", "The account that wrote it."),
    "day": ("Day", "The day of the spike."),
    "series": ("What spiked", "Which count rose beyond its usual weekly pattern."),
    "value": ("Sales credited", "Sales credited to social media by the attribution model."),
    "expected": ("Usual", "What the day's weekly pattern predicted."),
    "examples": ("Mentions behind it", "A few of the day's mentions."),
    # scorecard progress
    "target": ("Target", "What we set out to reach in the period."),
    "actual": ("Actual", "What we reached so far."),
    "likely between": ("Likely between", "The range the number lies in with 9 chances in 10."),
    "would have happened anyway": (
        "Would have happened anyway",
        "What the attribution model's baseline explains without social media; not in Actual.",
    ),
    "progress": ("Progress", "Actual as a share of the target."),
    "period gone": ("Period gone", "How much of the target's period has passed."),
    "status": ("Status", "Met, on track (ahead of the time gone) or behind."),
    # audience
    "followers": ("Followers", "Size of the audience at the end of the month."),
    "following": ("Following", "Accounts the brand follows at the end of the month."),
    "following_follower_ratio": (
        "Following per follower",
        "Accounts followed per follower; below 1, more people follow us than we follow.",
    ),
    "net_growth": ("Net new followers", "Followers gained minus followers lost in the month."),
    "growth_rate": ("Follower growth", "Net new followers as a share of the followers before."),
    # content
    "posts": ("Posts", "Posts the brand published."),
    "replies": ("Replies", "Replies to the posts."),
    "shares": ("Shares", "Reposts, boosts and retweets of the posts."),
    "likes": ("Likes", "Likes, favourites and reactions on the posts."),
    "engagements": ("Engagements", "Replies, shares and likes together."),
    "conversation_rate": ("Replies per post", "Replies divided by posts."),
    "amplification_rate": ("Shares per post", "Shares divided by posts."),
    "applause_rate": ("Likes per post", "Likes divided by posts."),
    "engagement_rate": (
        "Engagement per follower",
        "Engagements per post divided by followers.",
    ),
    # listening
    "mentions": ("Mentions", "Messages that named the brand."),
    "unique_authors": ("People mentioning us", "Different accounts that mentioned the brand."),
    "competitor_mentions": ("Competitor mentions", "Messages that named a tracked competitor."),
    "share_of_voice": (
        "Share of voice",
        "Our mentions as a share of ours plus our tracked competitors'.",
    ),
    # relationships
    "people_active": ("People active", "People who paid attention to the brand in the month."),
    "repeat_interactors": ("Regulars", "People who keep coming back."),
    "new_people": ("Newcomers", "People paying attention for the first time."),
    "regular_share_of_people": ("Share regulars", "Regulars as a share of the people active."),
    "interactions": ("Interactions", "Every reply, share, like, mention and message."),
    "interactions_from_regulars_share": (
        "Share from regulars",
        "The share of the month's interactions that came from regulars.",
    ),
    "one_off_share": (
        "Share from newcomers",
        "The share of the month's interactions from people never active before.",
    ),
    "name": ("Name", "The person, as they call themselves."),
    "platforms": ("Platforms", "Where they were active."),
    "did": ("What they did", "Their interactions in the month."),
    "tier": ("Tier", "Champion, regular, occasional, lapsed or detractor (docs/metrics.md)."),
    "customer": ("Customer", "Whether they have bought from us."),
    "first_seen": ("First seen", "The day we first saw them."),
    "regular": ("Regular?", "Whether they keep coming back."),
    "reason": ("Why", "Why they are listed."),
    # traffic
    "visits": ("Visits", "Visits to the website."),
    "visitors": ("Visitors", "Different (pseudonymous) visitors."),
    "pageviews": ("Pages viewed", "Pages viewed on the website."),
    # reputation and care
    "positive": ("Positive", "Messages with a positive tone."),
    "negative": ("Negative", "Messages with a negative tone."),
    "net_sentiment": (
        "Net sentiment",
        "Positive minus negative, divided by both: −1 all negative, +1 all positive.",
    ),
    "net_sentiment_change": ("Change in sentiment", "Net sentiment minus the month before's."),
    "weighted_share_of_voice": (
        "Share of voice (tone-weighted)",
        "Share of voice where a negative mention counts for nothing.",
    ),
    "needing_answer": ("Needed an answer", "Messages the care team had to act on."),
    "answered": ("Answered", "Messages that got an answer."),
    "frt_median_hours": ("Typical first reply (h)", "Median hours to the first answer."),
    "frt_p90_hours": ("Slow first reply (h)", "Hours within which 9 in 10 first answers came."),
    "frt_business_median_hours": (
        "Typical first reply, office hours (h)",
        "Median first-answer time counting business hours only.",
    ),
    "frt_business_p90_hours": (
        "Slow first reply, office hours (h)",
        "Business hours within which 9 in 10 first answers came.",
    ),
    "complaints": ("Complaints", "Complaints received."),
    "resolved": ("Resolved first time", "Complaints fixed at the first answer."),
    "response_rate": ("Answered share", "Messages answered as a share of those needing one."),
    "resolution_rate": ("Resolved share", "Answered complaints that stayed resolved."),
    "sentiment_score": ("How negative", "−1 very negative … +1 positive."),
    "message_id": ("Key message", "One of the messages we want people to repeat."),
    "carrying": ("Mentions carrying it", "Mentions that repeat the key message."),
    "share": ("Share carrying it", "Mentions carrying the message as a share of all."),
    # money
    "value_low": ("Sales credited: low", "The low end of the likely range (9 chances in 10)."),
    "value_high": ("Sales credited: high", "The high end of the likely range (9 chances in 10)."),
    "cost": ("Full cost", "Staff time, tools, prizes, ads and content."),
    "roi": ("ROI", "Return on investment: (sales credited − full cost) / full cost."),
    "roi_low": ("ROI: low", "The low end of ROI's likely range (9 chances in 10)."),
    "roi_high": ("ROI: high", "The high end of ROI's likely range (9 chances in 10)."),
    "leads": ("Leads (credited)", "Leads credited to social media, rounded."),
    "customers": ("New customers (credited)", "New customers credited, rounded."),
    "relationships": ("Relationships", "People who engaged with us."),
    "cost_per_lead": ("Cost per lead", "Full cost divided by credited leads."),
    "cost_per_customer": ("Cost per customer", "Full cost divided by credited new customers."),
    "attribution_roi": ("ROI by journeys", "ROI from following each person's journey."),
    "attribution_roi_low": ("low", "The low end of its likely range (9 chances in 10)."),
    "attribution_roi_high": ("high", "The high end of its likely range (9 chances in 10)."),
    "mix_roi": ("ROI by weekly mix", "ROI from weekly totals of revenue against spend."),
    "mix_roi_low": ("low", "The low end of its likely range (9 chances in 10)."),
    "mix_roi_high": ("high", "The high end of its likely range (9 chances in 10)."),
    "what_it_means": ("What it means", "Whether the two ways of measuring agree."),
    "cost_per_relationship": (
        "Cost per relationship",
        "Full cost divided by the people who engaged with us.",
    ),
}
"""Column name → (label, one-line definition in plain words)."""


_BY_LABEL = {label: text for label, text in COLUMN_LABELS.values()}


def column_label(name: str) -> tuple[str, str]:
    """The label and definition of column ``name``; an unknown name is written as words
    (``cost_staff`` → ``Cost staff``) with no definition."""
    if name in COLUMN_LABELS:
        return COLUMN_LABELS[name]
    words = name.replace("_", " ").strip()
    return (words[:1].upper() + words[1:], "")


def label_table(block: TableBlock) -> TableBlock:
    """Replace ``block``'s column names by labels; each label's definition is the plain one
    here, else the builder's own (e.g. a metric's formula)."""
    if block.labelled:
        return block
    headers, definitions = [], {}
    for h in block.headers:
        label, text = column_label(h)
        if h not in COLUMN_LABELS and h[:1].isupper():
            label, text = h, _BY_LABEL.get(h, "")  # already a label
        headers.append(label)
        if text or block.definitions.get(h):
            definitions[label] = text or block.definitions[h]
    block.headers, block.definitions = headers, definitions
    block.labelled = True
    return block
