"""Return on relationships: people, identity resolution, timeline, scores and tiers, the
monthly roster, referrals, consent and erasure. See :mod:`goodwill.people.identity` for how
resolved persons coexist with the ``people`` table."""

from __future__ import annotations

__all__: list[str] = []
