"""One engine seam (issue 17 item 3): SQL text runs only in :mod:`goodwill.engine`.

Every other module reads through Ibis expressions and writes through the engine module's
named functions. The check reads each module's syntax tree and flags what runs SQL text:
``import duckdb`` (the raw driver), ``.raw_sql(...)``, ``.executemany(...)``, ``.sql(...)`` and
``.execute(...)`` on a connection or cursor or with SQL text, ``.query("SELECT ...")``, any
``wh.query(...)`` (the warehouse's raw-SQL passthrough, for tests and benchmarks only) and a
connection's ``.register``. ``backend.execute(expr)`` of an Ibis expression, or a metric
query's ``.sql(backend, params)``, is not flagged.

``PENDING`` lists the modules (owned by other work in progress) that still ran SQL text when
the seam was cut; a module not listed there fails the test as soon as it runs SQL text. Remove
a module from the list once it calls the engine instead (a listed module that runs no SQL text
fails the test too, so the list cannot go stale).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "goodwill"

PENDING: dict[str, str] = {}
"""Module (relative to src/goodwill) → what its SQL text does, until it moves to the engine."""

_CONNECTION = re.compile(r"(^|\.)(_?con|cursor|_base\.con)$|\bcursor\(\)$")
_WAREHOUSE = re.compile(r"(^|\.)wh$")
_HOLDS_SQL = re.compile(r"^_?[A-Z][A-Z0-9_]*$|^sql$")


def _texty(node: ast.expr) -> bool:
    """Whether ``node`` is SQL text: a string, an f-string, a concatenation with one, or a
    name that holds SQL (an upper-case constant, or ``sql``)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _texty(node.left) or _texty(node.right)
    if isinstance(node, ast.Name):
        return bool(_HOLDS_SQL.match(node.id))
    return False


def raw_sql_calls(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` of every place in ``source`` that runs SQL text or imports the driver."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(a.name == "duckdb" for a in node.names):
            found.append((node.lineno, "import duckdb"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "duckdb":
            found.append((node.lineno, "from duckdb import"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr, receiver = node.func.attr, ast.unparse(node.func.value)
            first = node.args[0] if node.args else None
            on_connection = bool(_CONNECTION.search(receiver))
            text = first is not None and _texty(first)
            if (
                attr in ("raw_sql", "executemany")
                or (attr == "sql" and (on_connection or text))
                or (attr == "execute" and (on_connection or text))
                or (attr == "query" and (text or bool(_WAREHOUSE.search(receiver))))
                or (attr in ("register", "unregister") and on_connection)
            ):
                found.append((node.lineno, f"{receiver}.{attr}(...)"))
    return found


def _offenders() -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("engine/"):
            continue
        calls = raw_sql_calls(path.read_text(encoding="utf-8"))
        if calls:
            out[rel] = calls
    return out


def test_no_sql_text_outside_the_engine() -> None:
    offenders = _offenders()
    new = {rel: calls for rel, calls in offenders.items() if rel not in PENDING}
    assert not new, (
        "SQL text outside goodwill/engine/ (add a named function to "
        f"goodwill/engine/duckdb.py and call it instead): {new}"
    )


def test_pending_lists_only_modules_that_still_run_sql_text() -> None:
    offenders = _offenders()
    clean = sorted(rel for rel in PENDING if rel not in offenders)
    assert not clean, f"no SQL text left in {clean}: remove them from PENDING"


def test_the_check_finds_sql_text_and_spares_ibis() -> None:
    flagged = raw_sql_calls(
        "import duckdb\n"
        "wh.con.execute('DELETE FROM people')\n"
        "con.execute(_INSERT)\n"
        "rows = wh.query('SELECT 1')\n"
        "ctx.wh.query(statement)\n"
        "backend.con.sql(sql)\n"
        "b.raw_sql(f'SELECT {x}')\n"
        "con.register('v', table)\n"
    )
    assert [line for line, _ in flagged] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert (
        raw_sql_calls(
            "frame = backend.execute(expr)\nb.execute(t.select('a'))\nf.query(metric='x')\n"
            "query.sql(wh.ibis(), params)\n"
        )
        == []
    )
