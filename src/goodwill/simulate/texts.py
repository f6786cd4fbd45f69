"""Short social texts, user agents and referrers of the demo business.

Inbound texts have a known *intent* (``praise``, ``question``, ``complaint``, ``neutral``) and
hence a known sentiment (praise: positive, complaint: negative, the rest neutral). A share of the
praise carries one of the brand's three key messages *in paraphrase* (``MESSAGE_TEXTS``), never
word for word, so a pull-through matcher has to recognise meaning, not copy.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "BOT_AGENTS",
    "BRAND_REPLIES",
    "DESKTOP_AGENTS",
    "INAPP_AGENTS",
    "INTENTS",
    "KEY_MESSAGES",
    "MESSAGE_TEXTS",
    "MOBILE_AGENTS",
    "PRODUCTS",
    "RESOLVED_TEXTS",
    "SENTIMENT",
    "TEXTS",
    "brand_post_text",
    "competitor_post_text",
    "fill",
]

PRODUCTS = (
    "Ethiopia Yirgacheffe",
    "Colombia Huila",
    "House Espresso",
    "Decaf Swiss Water",
    "Guatemala Antigua",
    "Kenya AA",
    "Sumatra Mandheling",
    "Costa Rica Tarrazú",
    "oat flat white",
    "cold brew",
)
NOTES = ("blueberry", "jasmine", "dark chocolate", "brown sugar", "citrus", "hazelnut", "caramel")

KEY_MESSAGES: tuple[tuple[str, str], ...] = (
    ("ethical-sourcing", "ethically sourced beans"),
    ("fresh-roast", "roasted fresh every week"),
    ("friendly-baristas", "friendly baristas who remember your name"),
)

MESSAGE_TEXTS: dict[str, tuple[str, ...]] = {
    "ethical-sourcing": (
        "love that {h} knows the farmers they buy from 🙌",
        "{h} pays growers properly and honestly you can taste it",
        "direct trade, traceable lots, fair prices for the farm. this is why I buy from {h}",
        "{h} told me the name of the co-op that grew my beans. respect 🌱",
        "coffee that doesn't exploit anyone? {h} gets it",
    ),
    "fresh-roast": (
        "{h} beans are always roasted just days before they land on my doorstep",
        "roast date on the bag was 3 days ago. {h} never sends stale coffee",
        "the weekly roast from {h} hits different ☕",
        "you can smell how recently {h} roasted this, wow",
        "{h} roasts every single week and it shows",
    ),
    "friendly-baristas": (
        "the baristas at {h} remembered my name AND my order 🥹",
        "{h} staff are the friendliest in town",
        "they know me by name at {h} ❤️",
        "shoutout to the team at {h}, always a smile and a chat",
        "went in once, second time they greeted me by name. {h} you're lovely",
    ),
}

TEXTS: dict[str, tuple[str, ...]] = {
    "praise": (
        "{h} that {p} is unreal 😍",
        "Best flat white in town, thanks {h} ☕",
        "Just got my order from {h}, smells amazing",
        "{h} your {p} made my morning",
        "obsessed with the {p} from {h} 🔥🔥",
        "{h} 10/10 would sip again",
        "my new favourite roaster is {h}, no contest",
        "{h} the gift box was a hit with my dad!!",
        "Tried the {p} from {h}, notes of {n}. Lovely.",
        "{h} thank you for the quick delivery 🙏",
    ),
    "question": (
        "{h} do you ship to Canada?",
        "{h} is the decaf swiss water process?",
        "{h} what grind should I use for a moka pot?",
        "{h} are you open on Sunday?",
        "{h} when is the {p} back in stock?",
        "{h} can I pause my subscription for a month?",
        "{h} do you do wholesale for small cafés?",
        "hey {h}, is the {p} good for espresso or filter?",
    ),
    "complaint": (
        "{h} my order #{o} still hasn't arrived 😤",
        "{h} bag arrived ripped, beans everywhere",
        "{h} I was charged twice for one order??",
        "{h} waited 20 min for a latte today. not great",
        "{h} your website keeps crashing at checkout",
        "{h} the {p} tasted burnt this time, disappointed",
        "still no reply to my email {h}... order #{o}",
        "{h} subscription renewed even though I cancelled 😡",
    ),
    "neutral": (
        "Trying {h} beans this week, will report back",
        "popped by {h} today",
        "Anyone tried the {h} subscription?",
        "{h} is doing a {p} drop apparently",
        "coffee o'clock with {h}",
        "reading about {p} processing, via {h}",
    ),
}
INTENTS = ("praise", "question", "complaint", "neutral")
SENTIMENT = {
    "praise": "positive",
    "complaint": "negative",
    "question": "neutral",
    "neutral": "neutral",
}

BRAND_REPLIES: dict[str, tuple[str, ...]] = {
    "complaint": (
        "{h} so sorry about that! DM us your order number and we'll sort it today.",
        "{h} that's not the experience we want. A replacement is on its way 🙏",
        "{h} we're really sorry, refund issued. Thanks for telling us.",
        "{h} ugh, sorry! Looking into it right now, can you DM us your email?",
    ),
    "question": (
        "{h} yes! We ship to the US, Canada, the UK and the EU.",
        "{h} great question: for a moka pot go fine, just a touch coarser than espresso.",
        "{h} sure, you can pause it anytime from your account page.",
        "{h} it's back next Tuesday, we'll post here when it's live ☕",
    ),
    "praise": (
        "{h} thank you so much! 💛",
        "{h} this made our day ☕",
        "{h} thanks for the love!",
    ),
}
RESOLVED_TEXTS = (
    "{h} got it, thanks for sorting it so fast!",
    "{h} replacement arrived, you're the best",
    "{h} all fixed, thank you 🙏",
)

_BRAND_POSTS = (
    "Fresh batch of {p} just came out of the roaster ☕",
    "Behind the scenes: cupping our new {p} lot this morning. Notes of {n}.",
    "Our {p} is back in stock!",
    "Weekend brew tip: try a 1:16 ratio with our {p}.",
    "Meet the team: Sam has been pulling shots at our café for 5 years 💛",
    "We visited the farm that grows our {p}. Fair prices, long friendships.",
    "Roast day! Every bag ships within a week of roasting.",
    "New on the menu: {p}. Come say hi.",
    "Poll: filter or espresso this weekend?",
)
_CAMPAIGN_POSTS = {
    "holiday-gifts": (
        "Gift boxes are here 🎁 three single origins and a mug. #HolidayGifts",
        "Still looking for a gift? Our {p} box ships in time. #HolidayGifts",
        "Giveaway! Share this post to win a year of coffee 🎁 #HolidayGifts",
    ),
    "spring-launch": (
        "Spring Blend is live 🌸 bright, floral, a little cheeky. #SpringLaunch",
        "Spring Blend tasting at the café this Saturday #SpringLaunch",
    ),
    "hello-bluesky": (
        "Hello Bluesky! 👋 Fernhill here: small-batch roasters. Follow for fresh-roast drops.",
        "Welcome giveaway for our new Bluesky friends: follow and reply to win a bag ☕",
    ),
    "autumn-harvest": (
        "Autumn harvest lots have landed 🍂 {p} first. #AutumnHarvest",
        "Cosy season: our {p} with {n} notes is back #AutumnHarvest",
    ),
}
_COMPETITOR_POSTS = (
    "New seasonal menu is up!",
    "Our {p} is on offer this week.",
    "Latte art Thursday ✨",
    "Open late on Fridays now.",
    "Have you tried our {p}?",
)

DESKTOP_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
)
MOBILE_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/129.0.0.0 Mobile Safari/537.36",
)
INAPP_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 Instagram 350.0.0.28.106 (iPhone15,2; iOS 18_1; en_US)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/485.0.0.47.106;FBBV/650000000;FBDV/iPhone15,2]",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/485.0.0.48.108;]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 LinkedInApp/9.30.2",
)
BOT_AGENTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "python-requests/2.32.3",
)


def fill(template: str, rng: np.random.Generator, handle: str) -> str:
    """Fill ``{h}`` (a handle, with ``@``), ``{p}`` (product), ``{n}`` (note), ``{o}``."""
    return template.format(
        h=handle,
        p=PRODUCTS[int(rng.integers(0, len(PRODUCTS)))],
        n=NOTES[int(rng.integers(0, len(NOTES)))],
        o=int(rng.integers(10_000, 99_999)),
    )


def brand_post_text(rng: np.random.Generator, campaign: str | None) -> str:
    pool = _CAMPAIGN_POSTS.get(campaign, _BRAND_POSTS) if campaign else _BRAND_POSTS
    return fill(pool[int(rng.integers(0, len(pool)))], rng, "")


def competitor_post_text(rng: np.random.Generator) -> str:
    return fill(_COMPETITOR_POSTS[int(rng.integers(0, len(_COMPETITOR_POSTS)))], rng, "")
