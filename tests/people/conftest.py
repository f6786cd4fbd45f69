from __future__ import annotations

from people_fixtures import people_dir, pwh

__all__ = ["people_dir", "pwh"]
