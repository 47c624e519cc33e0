"""The compiled-pattern cache of the spaCy load (assistant.facts.regex_cache): same matches, never an error."""

from __future__ import annotations

import re

from assistant.facts import regex_cache

PATTERN = "(?iu)" + "|".join(f"(?:^pre{i}[-‐][a-zé]+$)" for i in range(40)) + r"|(?P<code>\d+(?:\.\d+)+)"
"""A made-up pattern in the tokenizer's style: anchored alternatives, inline flags, a named group."""

SAMPLES = ["pre7-été", "PRE12‐abc", "pre41-abc", "pre3-", "7.2.2", "x pre1-a", "pre39-zz", "12"]


def test_a_pattern_built_from_its_saved_program_matches_as_the_compiled_one():
    built = regex_cache.build(PATTERN, regex_cache.program(PATTERN))
    compiled = re.compile(PATTERN)
    assert (built.flags, built.groups, built.groupindex) == (compiled.flags, compiled.groups, compiled.groupindex)
    for text in SAMPLES:
        a, b = built.match(text), compiled.match(text)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))
        assert [m.span() for m in built.finditer(text)] == [m.span() for m in compiled.finditer(text)]


def test_a_remembered_pattern_is_what_the_next_compile_returns(tmp_path, monkeypatch):
    monkeypatch.setattr(regex_cache, "MIN_CHARS", 100)
    monkeypatch.setattr(regex_cache, "_SEEDED", set())
    path = tmp_path / "cache" / "regex.marshal"
    pattern = PATTERN + "|(?:unique-to-this-test)"
    assert regex_cache.remember([re.compile(pattern), re.compile("court")], path) == 1  # the short one is not kept
    assert regex_cache.remember([re.compile(pattern)], path) == 0  # saved already
    monkeypatch.setattr(re, "_cache", {})
    assert regex_cache.seed(path) == 1
    seeded = re._cache[(str, pattern, 0)]  # type: ignore[attr-defined]
    assert re.compile(pattern) is seeded
    assert seeded.match("PRE5-abc") and not seeded.match("pre5")


def test_a_damaged_or_missing_file_only_means_compiling_as_usual(tmp_path):
    damaged = tmp_path / "regex.marshal"
    damaged.write_bytes(b"\x00not a marshal file")
    assert regex_cache.seed(damaged) == 0
    assert regex_cache.seed(tmp_path / "absent.marshal") == 0


def test_the_cache_folder_can_be_chosen(tmp_path, monkeypatch):
    monkeypatch.setenv(regex_cache.CACHE_ENV, str(tmp_path))
    path = regex_cache.cache_file()
    assert path is not None and path.parent == tmp_path and path.name.startswith("regex-")
