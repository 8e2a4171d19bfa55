"""The indexed matcher finds exactly what trying every pattern at every token finds, in the same order.

The reference below is the plain algorithm (first-word index, then a walk per candidate); the matcher
adds a second-word index and a per-word memo, which must change speed only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.pipeline import text_model
from crampwise.text.patterns import Match, Matcher, _context_ok, _match_at
from crampwise.text.tokens import Token, tokenize

CASES = Path(__file__).parents[1] / "cases"


def reference_find(matcher: Matcher, tokens: Sequence[Token]) -> list[Match]:
    by_word: dict[str, list[object]] = {}
    by_number: list[object] = []
    by_prefix: dict[str, list[object]] = {}
    for pattern in matcher.patterns:
        first = pattern.positions[0]
        if first.number:
            by_number.append(pattern)
        for prefix in first.prefixes:
            by_prefix.setdefault(prefix[:2], []).append(pattern)
        for word in first.exact:
            by_word.setdefault(word, []).append(pattern)
    found: list[Match] = []
    for i, token in enumerate(tokens):
        candidates = list(by_word.get(token.text, ()))
        if token.is_number:
            candidates += by_number
        candidates += by_prefix.get(token.text[:2], ())
        seen: set[int] = set()
        for pattern in candidates:
            if id(pattern) in seen:
                continue
            seen.add(id(pattern))
            end = _match_at(pattern.positions, 0, tokens, i)  # type: ignore[attr-defined]
            if end is not None and _context_ok(pattern, tokens, i, end):  # type: ignore[arg-type]
                found.append(Match(pattern.key, i, end, pattern.text))  # type: ignore[attr-defined]
    return found


def matchers() -> list[Matcher]:
    model = text_model()
    return [model.findings, model.medicines, model.context.matcher, model.context.time_matcher]


def test_same_matches_on_every_case_narrative() -> None:
    texts = [
        json.loads(line)["narrative"]
        for name in ("own-cases.jsonl", "blind-cases.jsonl")
        for line in (CASES / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    total = 0
    for text in texts:
        tokens = tokenize(text.lower())
        for matcher in matchers():
            got = matcher.find(tokens)
            assert got == reference_find(matcher, tokens), text[:80]
            total += len(got)
    assert total > 5000  # the cases exercise the lexicon, not just empty lists


# Words the lexicon knows, so random sequences hit real phrases, gaps and numbers.
LEXICON_WORDS = sorted({w for p in text_model().findings.patterns for pos in p.positions for w in pos.exact})
VOCAB = [*LEXICON_WORDS, "3", "10", "2,500", ".", "not", "no", "my", "the", "leg", "calf", "cramp", "swollen"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=40))
def test_same_matches_on_random_word_sequences(words: list[str]) -> None:
    tokens = tokenize(" ".join(words))
    for matcher in matchers():
        assert matcher.find(tokens) == reference_find(matcher, tokens)
