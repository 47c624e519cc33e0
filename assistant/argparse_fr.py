"""argparse in French: usage, help headings and error messages.

Python's argparse wraps its messages in ``gettext``; :class:`FrenchArgumentParser`
swaps in the French wording of ``assistant/data/argparse_fr.tsv`` while it
builds, formats and parses.  Errors end with the way to get help.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any, NoReturn

TYPE_NAMES = {"int": "entier", "float": "nombre", "Path": "chemin", "str": "texte"}
"""French names of the argument types named in « valeur invalide (… attendu) »."""


@cache
def french_messages() -> dict[str, str]:
    """English argparse message → French, from the data file."""
    text = resources.files("assistant.data").joinpath("argparse_fr.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or "\t" not in line:
            continue
        english, french = line.split("\t", 1)
        table[english.replace("\\n", "\n")] = french.replace("\\n", "\n")
    return table


def _gettext(message: str) -> str:
    return french_messages().get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


@contextmanager
def _french() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class FrenchHelpFormatter(argparse.HelpFormatter):
    """Help text with French headings, wide enough for the option descriptions."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_help_position", 32)
        super().__init__(prog, **kwargs)


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser speaking French (subparsers too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        with _french():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", FrenchArgumentParser)
        with _french():
            return super().add_subparsers(**kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> Any:
        with _french():
            return super().add_argument(*args, **kwargs)

    def add_argument_group(self, *args: Any, **kwargs: Any) -> Any:
        with _french():
            return super().add_argument_group(*args, **kwargs)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:  # type: ignore[override]
        with _french():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _french():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _french():
            return super().format_usage()

    def format_help(self) -> str:
        with _french():
            return super().format_help()

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)  # type: ignore[misc]
        except argparse.ArgumentError as exc:
            name = getattr(action.type, "__name__", "")
            if name in TYPE_NAMES and exc.message:
                exc.message = exc.message.replace(f"({name} attendu)", f"({TYPE_NAMES[name]} attendu)")
            raise

    def error(self, message: str) -> NoReturn:
        """Usage, then one French line with the way to get help; exit code 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message} (aide : {self.prog} --help)\n")
