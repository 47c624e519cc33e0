"""A SHA-256 of every table of an index, to check that a speed change writes the same index.

    .venv/bin/python tests/benchmarks/index_hashes.py INDEX_DIR [INDEX_DIR ...]
    .venv/bin/python tests/benchmarks/index_hashes.py --build FOLDER [--workers N]

Each table's rows are read in a fixed order (every column; the columns that
depend on when or where the run happened — ``indexed_at``, ``mtime``, ``at`` —
and the meta table's times left out) and hashed; one JSON line per index: ``{table: sha256}``.  With
``--build`` the folder is indexed into a temporary index first (facts
included, ``--workers`` worker processes, default the indexer's own).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

VARYING = {"indexed_at", "mtime", "at"}
"""Columns that change from one run to the next with the same content."""

VARYING_META = ("created_at", "updated_at")
"""Keys of the meta table that hold the time of the run."""


def table_hashes(index_dir: Path) -> dict[str, str]:
    """Each table of the index in `index_dir` → the SHA-256 of its rows (fixed order)."""
    conn = sqlite3.connect(f"file:{index_dir / 'index.sqlite'}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out: dict[str, str] = {}
        for table in tables:
            if table.startswith("sqlite_"):
                continue
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in VARYING]
            quoted = ", ".join(f'"{c}"' for c in columns)
            digest = hashlib.sha256()
            rows = 0
            where = f" WHERE key NOT IN {VARYING_META!r}" if table == "meta" else ""
            for row in conn.execute(f'SELECT {quoted} FROM "{table}"{where} ORDER BY {quoted}'):
                digest.update(repr(row).encode())
                rows += 1
            out[table] = f"{rows}:{digest.hexdigest()[:16]}"
        return out
    finally:
        conn.close()


def build(folder: Path, workers: int | None) -> dict[str, str]:
    """Index `folder` into a temporary index and return its table hashes."""
    env = dict(os.environ)
    if workers is not None:
        env["ASSISTANT_INDEX_WORKERS"] = str(workers)
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "idx"
        cmd = [sys.executable, "-m", "assistant", "index", str(folder), "--index-dir", str(index)]
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        return table_hashes(index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--build", action="store_true", help="index each folder first (temporary index)")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    for path in args.paths:
        hashes = build(path, args.workers) if args.build else table_hashes(path)
        print(json.dumps({"index": str(path), **hashes}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
