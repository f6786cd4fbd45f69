"""Documentation generated from the code, so it cannot drift: the README's command table
(from the CLI itself) and ``docs/settings.md`` (from :data:`goodwill.config.REGISTRY`).

``python -m goodwill.commands.docs --write`` rewrites both; ``--check`` exits 1 when either is
out of date (the tests check the same).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "README_END",
    "README_START",
    "command_rows",
    "command_table",
    "readme_with_table",
]

README_START = (
    "<!-- commands: generated from the CLI by `python -m goodwill.commands.docs --write`; "
    "do not edit -->"
)
README_END = "<!-- end of commands -->"
ROOT = Path(__file__).resolve().parents[3]


def _summary(text: str | None) -> str:
    """The first sentence of a help text, on one line."""
    flat = " ".join((text or "").split())
    found = re.match(r"(.+?\.)(\s|$)", flat)
    return (found.group(1) if found else flat).rstrip(".")


def command_rows() -> list[tuple[str, str, str]]:
    """``(command, usage, summary)`` for every command and sub-command of ``goodwill``."""
    import typer

    from goodwill.cli import app

    root = typer.main.get_command(app)
    rows: list[tuple[str, str, str]] = []

    def walk(cmd: Any, path: str, ctx: Any) -> None:
        if getattr(cmd, "hidden", False):
            return
        sub = getattr(cmd, "commands", None)
        if path != "goodwill":
            pieces = [
                re.sub(r"\{(\w+)\}", lambda m: m.group(1).upper(), p)
                for p in cmd.collect_usage_pieces(ctx)
                if p != "[OPTIONS]" and "COMMAND" not in p
            ]
            rows.append((path, " ".join(pieces), _summary(cmd.help)))
        for name, child in sorted((sub or {}).items()):
            walk(child, f"{path} {name}", type(ctx)(child, info_name=name, parent=ctx))

    walk(root, "goodwill", type_ctx(root))
    return rows


def type_ctx(root: Any) -> Any:
    """A context for ``root`` (the click context class Typer uses)."""
    return root.context_class(root, info_name="goodwill")


def command_table() -> str:
    """The README's command table (Markdown)."""
    lines = ["| command | what it does |", "|---|---|"]
    for path, usage, summary in command_rows():
        shown = f"{path} {usage}".strip().replace("|", "\\|")
        lines.append(f"| `{shown}` | {summary.replace('|', chr(92) + '|')} |")
    return "\n".join(lines)


def readme_with_table(readme: str) -> str:
    """``readme`` with the text between the markers replaced by :func:`command_table`."""
    start, end = readme.index(README_START), readme.index(README_END)
    return readme[: start + len(README_START)] + "\n\n" + command_table() + "\n\n" + readme[end:]


def main(argv: list[str] | None = None) -> int:
    from goodwill.config import settings_markdown

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the generated files")
    parser.add_argument("--check", action="store_true", help="exit 1 when one is out of date")
    args = parser.parse_args(argv)
    readme_path, settings_path = ROOT / "README.md", ROOT / "docs" / "settings.md"
    readme = readme_path.read_text(encoding="utf-8")
    wanted = {readme_path: readme_with_table(readme), settings_path: settings_markdown()}
    stale = [p for p, text in wanted.items() if not p.is_file() or p.read_text("utf-8") != text]
    if args.write:
        for path in stale:
            path.write_text(wanted[path], encoding="utf-8")
            print(f"wrote {path}")
        return 0
    for path in stale:
        print(f"{path} is out of date: run python -m goodwill.commands.docs --write")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
