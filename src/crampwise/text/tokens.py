"""Tokenizer shared by the lexicon compiler and the matcher, so patterns and text split alike."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Numbers (with thousands separators or decimals), words (apostrophes dropped later), and the
# punctuation that ends or structures a clause. Every alternative is linear: no nested repetition.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-zà-ÿµ]+[a-z0-9]*(?:['’][a-z]+)*|[.!?;:,/&()\n+%°]")
SENTENCE_END = frozenset({".", "!", "?", ";", "\n"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    sentence: int
    is_number: bool = False


def normalise(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def tokenize(text: str) -> list[Token]:
    lowered = normalise(text)
    tokens: list[Token] = []
    sentence = 0
    for match in _TOKEN.finditer(lowered):
        raw = match.group()
        word = raw.replace("'", "") if raw[:1].isalpha() else raw
        tokens.append(Token(word, match.start(), match.end(), sentence, word[:1].isdigit()))
        if word in SENTENCE_END:
            sentence += 1
    return tokens


def split_words(pattern: str) -> list[str]:
    """Tokenize one alternative of a pattern; used by the compiler to reject multi-token alternatives."""
    return [t.text for t in tokenize(pattern)]
