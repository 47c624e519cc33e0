"""Imported once by the forkserver of ``assistant batch --jobs N`` before it forks the workers.

Loading the engine's modules and the spaCy pipeline here (seconds) means the
workers are forked with them already in memory, instead of each worker paying
for them again on its first question.  Never imported otherwise.
"""

from __future__ import annotations

import assistant.qa.engine  # noqa: F401  the facade and everything it imports

try:  # the French pipeline used for entities: ~3-10 s to load
    from assistant.facts.nlp import get_nlp

    get_nlp()
except Exception:  # noqa: BLE001 - a warm-up only; workers load lazily if this fails
    pass
