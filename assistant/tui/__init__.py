"""The terminal chat (Textual): the only package of the assistant that imports Textual.

Entry points live in :mod:`assistant.tui.app` (``run_app``, ``make_app``).
This ``__init__`` imports nothing, so ``import assistant.tui`` stays cheap.

Layout::

    app.py          AssistantApp(engine), make_app(index_dir), run_app(index_dir)
    app.tcss        every style of the app (one file)
    messages.py     the app's messages, small dataclasses named in the past tense
    session.py      the chat session: exchanges and the core Conversation (no Textual)
    formatting.py   figures, citation labels, snippets around the figure in French (no Textual;
                    numbers, plurals, confidence and widths come from assistant.presentation)
    passage.py      locating a cited passage in its document (no Textual)
    history.py      question history persisted per index directory (no Textual)
    export.py       the conversation as Markdown (no Textual)
    conversations.py  saved conversations per index, INDEX_DIR/conversations/ (no Textual)
    settings.py     the chat's remembered preferences, INDEX_DIR/settings.json (no Textual)
    commands.py     the command palette provider and the French palette
    screens/        chat, passage, facts, documents, help, setup, dialogs (path, confirm, pick)
    widgets/        answer card, multi-line prompt, status line, indexing panel
"""
