"""Constants and the demo record shared by the report tests (a uniquely named module: test
folders are not packages, so ``conftest`` names collide across folders)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPLICATES = 20  # bootstrap size in the tests (the CLI's default is 100)
HOSTILE_NAME = "Eve <script>alert(3)</script><img src=x onerror=alert(4)>"
HOSTILE_TEXT = "<script>alert(1)</script> my order never arrived, terrible service, I want a refund"


@dataclass(frozen=True)
class ReportDemo:
    out: Path
    db: Path
    config: Path
    html: Path
    pdf: Path | None
    """``None`` when no Chromium is installed."""
    cli_output: str


def hostile(folder: Path) -> Path:
    """Eve: a display name and complaints (the oldest, unanswered) carrying markup, and
    enough replies in July–September 2026 to be among September's most engaged people."""
    folder.mkdir()
    (folder / "identities.csv").write_text(
        f'kind,value,person_ref,display_name\nhandle:x,evil_eve,p-evil-eve,"{HOSTILE_NAME}"\n',
        encoding="utf-8",
    )
    rows = ["platform,interaction_id,created_at,kind,direction,actor_handle,target_handle,text"]
    rows += [
        f'x,evil-c{n},2025-11-0{n}T08:00:00Z,mention,inbound,evil_eve,fernhill,"{HOSTILE_TEXT}"'
        for n in (1, 2)
    ]
    rows += [
        f'x,evil-{m}-{d},2026-{m:02d}-{d:02d}T12:00:00Z,reply,inbound,evil_eve,fernhill,"{HOSTILE_TEXT}"'
        for m in (7, 8, 9)
        for d in range(1, 29, 3)
    ]
    (folder / "interactions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder
