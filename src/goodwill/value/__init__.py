"""Returning customers and customer value.

``repeat.py``: repeat-purchase rate, time between orders, churn, per-customer summaries and the
``returning`` metric query (Ibis); ``bgnbd.py``: BG/NBD + Gamma-Gamma lifetime value (scipy
maximum likelihood); ``matching.py``: engaged-on-social versus not, matched on what is known
before engaging.
"""

from __future__ import annotations

# The metric registry imports RETURNING from goodwill.value.repeat; loading goodwill.metrics
# here first makes either import order work (metrics → value.repeat, or value.* → metrics).
import goodwill.metrics  # noqa: F401
