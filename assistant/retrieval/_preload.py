"""Imported once by the forkserver of the indexing workers (``assistant index``) before it forks them.

The numerical libraries are set to one thread each before numpy loads, and
spaCy's French pipeline is loaded and run once here (~3 s of CPU, most of it
compiling the tokenizer's regular expressions), and the readers imported, so the workers are forked with
it in memory instead of each loading it again; the objects are then frozen
out of the garbage collector's reach, so that the workers share their pages.
Never imported otherwise.
"""

from __future__ import annotations

import gc
import os

from assistant.retrieval.indexer import THREAD_VARIABLES

for _name in THREAD_VARIABLES:
    os.environ.setdefault(_name, "1")

try:  # a warm-up only: a worker loads the pipeline itself if this fails
    from assistant.facts.nlp import warm_up

    warm_up()
except Exception:  # noqa: BLE001
    pass

try:  # the readers every worker imports for its first file, imported once here instead
    import assistant.ingest.docx
    import assistant.ingest.html
    import assistant.ingest.reader
    import assistant.ingest.sections  # noqa: F401
except Exception:  # noqa: BLE001
    pass

gc.freeze()
