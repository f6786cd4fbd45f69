"""goodwill: the return on investment and the return on relationships of social media."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
