"""Tables that several metric queries build from the same rows, computed once per query set.

Inside :func:`shared_tables` a building block registered here is computed once per backend
and parameters into an engine-side temporary table (Ibis's ``cache``: a DuckDB temporary
table, a cached Spark DataFrame) and every query of the block reads it; outside the block
each query builds it inline, as its own SQL. The tables are dropped when the block ends, so
nothing outlives the data it was computed from. The blocks shared are:

* the care threads (:func:`goodwill.metrics.care.care_threads`): ``care``, ``care_agents``,
  ``unanswered`` and the scorecard's care level;
* the attention person-months (:func:`goodwill.metrics.loyalty.attention_months`):
  ``loyalty``, ``relationships``, ``retention``, ``customer_engagement`` and the
  scorecard's people headlines;
* the funnel journeys (:func:`goodwill.metrics.funnel.journeys`): ``funnel`` and
  ``funnel_days``.
* the reactions per post (:func:`goodwill.metrics.engagement.reactions_per_post`):
  ``engagement``, ``top_posts`` and the scorecard's engagement headlines.

A shared table is the same rows its queries would compute inline: only where they are
computed changes, never a definition.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["shared", "shared_tables", "sharing"]

_SHARED: ContextVar[dict[Hashable, ir.Table] | None] = ContextVar(
    "goodwill_shared_tables", default=None
)


@contextmanager
def shared_tables() -> Iterator[None]:
    """Within the block, each shared building block is computed once per backend and
    parameters (module docstring); the temporary tables are dropped when the block ends."""
    if _SHARED.get() is not None:  # nested: the outer block owns the cache
        yield
        return
    cache: dict[Hashable, ir.Table] = {}
    token = _SHARED.set(cache)
    try:
        yield
    finally:
        _SHARED.reset(token)
        for table in cache.values():
            table.release()


def sharing() -> bool:
    """Whether a :func:`shared_tables` block is open."""
    return _SHARED.get() is not None


def shared(key: Hashable, build: Callable[[], ir.Table]) -> ir.Table:
    """``build()`` cached under ``key`` inside a :func:`shared_tables` block (computed at
    the first call), else ``build()`` itself. ``key`` must name everything the table depends
    on, the backend included (``id(backend)``)."""
    cache = _SHARED.get()
    if cache is None:
        return build()
    if key not in cache:
        cache[key] = build().cache()
    return cache[key]
