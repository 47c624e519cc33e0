"""The core is headless: importing it loads neither Textual nor spaCy.

Only ``assistant/tui/`` may import Textual; spaCy loads lazily (its import
costs seconds), so ``import assistant`` and friends stay cheap for the CLI,
the batch runner and the tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"

CORE_MODULES = ["assistant", "assistant.cli", "assistant.qa.engine", "assistant.retrieval.store"]


def test_core_import_loads_neither_textual_nor_spacy() -> None:
    """One fresh interpreter imports every core entry point, then lists the top-level packages loaded."""
    code = (
        "import importlib, json, sys\n"
        f"for module in {CORE_MODULES!r}:\n"
        "    importlib.import_module(module)\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(json.loads(result.stdout))
    assert "textual" not in loaded, f"importing {CORE_MODULES} loaded textual"
    assert "spacy" not in loaded, f"importing {CORE_MODULES} loaded spacy"


def test_importing_the_tui_does_not_load_spacy() -> None:
    """The app module itself is importable before the first frame without spaCy (it loads in a worker)."""
    code = "import sys, assistant.tui.app; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "False"


_TEXTUAL_IMPORT = re.compile(r"^\s*(?:from\s+textual[\s.]|import\s+textual\b)", re.MULTILINE)


def test_only_the_tui_imports_textual() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "tui":
            continue
        if _TEXTUAL_IMPORT.search(path.read_text(encoding="utf-8")):
            offenders.append(str(relative))
    assert offenders == [], f"Textual imported outside assistant/tui/: {offenders}"
    # The check itself works: the TUI does import Textual.
    assert _TEXTUAL_IMPORT.search((PACKAGE / "tui" / "app.py").read_text(encoding="utf-8"))
