"""Assertion status of matched phrases: negated, uncertain, or someone else's (NegEx/ConText style).

Trigger phrases are data (`data/context.yaml`); this module only applies scopes: a pre-trigger
reaches forward up to `window` words, a post-trigger looks back a few words, and a scope stops at a
sentence end or a terminator word ("but", "so", "my"...). Pseudo-triggers ("not sure", "no longer")
shadow the negations they contain.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from crampwise.text.patterns import Match, Matcher, compile_lexicon
from crampwise.text.tokens import SENTENCE_END, Token

QUESTION_STARTS = frozenset(
    ["is", "could", "can", "should", "do", "does", "did", "am", "are", "will", "would", "might", "may", "was", "what", "why", "how", "any", "anything"]
)


@dataclass(frozen=True)
class Assertion:
    negated: bool = False
    uncertain: bool = False
    other: bool = False
    question: bool = False


class ContextRules:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.window = int(spec.get("window", 6))
        kinds = ("negation_pre", "negation_post", "pseudo_negation", "uncertain_pre", "uncertain_post", "other_pre")
        self.matcher = Matcher(compile_lexicon({kind: spec.get(kind, []) for kind in kinds}))
        self.time_matcher = Matcher(compile_lexicon({kind: spec.get(kind, []) for kind in ("past", "present")}))
        times = ("past", "present", "result_past", "result_present")
        self.result_matcher = Matcher(compile_lexicon({kind: spec.get(kind, []) for kind in times}))
        self.old_document_words = tuple(spec.get("old_document_words", []))
        self.old_document_kinds = tuple(spec.get("old_document_kinds", []))
        words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in self.old_document_words) or "(?!)"
        doc_kinds = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in self.old_document_kinds) or "(?!)"
        # A short line of its own that names an old document; matched on normalised (lower-case) text.
        self.old_heading = re.compile(
            rf"^[^\S\n]*(?=[^\n]{{0,100}}$)(?=[^\n]*\b(?:{words})\b)(?=[^\n]*\b(?:{doc_kinds})\b)[^\n]*$", re.M
        )
        self.terminators = frozenset(
            word for line in spec.get("terminators", []) for word in line.split("|") if " " not in word
        )
        self.negation_terminators = frozenset(
            word for line in spec.get("negation_terminators", []) for word in line.split("|") if " " not in word
        )

    def past_sentences(self, tokens: Sequence[Token]) -> list[bool]:
        """For each sentence index: does it place what it says in the past ("in 2015", "five years ago")
        without bringing it to the present ("since", "still", "now")?"""
        count = (tokens[-1].sentence + 1) if tokens else 0
        past, present = [False] * count, [False] * count
        for m in self.time_matcher.find(tokens):
            (past if m.key == "past" else present)[tokens[m.start].sentence] = True
        return [p and not q for p, q in zip(past, present, strict=True)]

    def result_times(self, tokens: Sequence[Token]) -> list[tuple[int, str]]:
        """Words that date a lab result, as (character offset, "past" or "present")."""
        return [(tokens[m.start].start, "past" if m.key.endswith("past") else "present")
                for m in self.result_matcher.find(tokens)]

    def triggers(self, tokens: Sequence[Token]) -> dict[int, set[str]]:
        """Map token index -> trigger kinds that END at that token (pre) or START there (post)."""
        found = self.matcher.find(tokens)
        pseudo = [m for m in found if m.key == "pseudo_negation"]
        # A trigger strictly inside a longer pseudo-trigger is shadowed ("not" in "not sure", "maybe" in
        # "maybe 3 times"); one that spans the same words ("not sure" as uncertainty) still counts.
        shadowed = {(m.start, m.end, m.key) for m in found for p in pseudo
                    if _inside(m, p) and (m.end - m.start) < (p.end - p.start)
                    and m.key.startswith(("negation", "uncertain"))}
        ends: dict[int, set[str]] = {}
        for m in found:
            if m.key == "pseudo_negation" or (m.start, m.end, m.key) in shadowed:
                continue
            index = m.end - 1 if m.key.endswith("_pre") else m.start
            ends.setdefault(index, set()).add(m.key)
        return ends

    def assess(
        self,
        tokens: Sequence[Token],
        match: Match,
        triggers: Mapping[int, set[str]],
        subject_words: frozenset[str] = frozenset(),
        covered: frozenset[int] = frozenset(),
        questions: Sequence[bool] | None = None,
    ) -> Assertion:
        """`covered`: token indices inside other finding phrases, so a negation can run down a list
        ("no swelling, redness or warmth"); `questions`: per-sentence flags from `question_sentences`."""
        negated = uncertain = other = False
        # A phrase that opens its own clause ("no swelling, and it's easing") is out of an earlier negation's reach.
        negation_open = tokens[match.start].text not in self.negation_terminators
        words = 0
        # A phrase can begin with the end of an other-person trigger ("my mum HAD a clot").
        if "other_pre" in triggers.get(match.start, set()) and not _mentions_subject(tokens, match.start, subject_words):
            other = True
        j = match.start - 1
        while j >= 0 and words <= self.window + 2:
            token = tokens[j]
            if token.text in SENTENCE_END:
                break
            kinds = triggers.get(j, set())
            if "negation_pre" in kinds and words <= self.window and negation_open:
                negated = True
            if "uncertain_pre" in kinds and words <= self.window:
                uncertain = True
            if "other_pre" in kinds and not _mentions_subject(tokens, j, subject_words):
                other = True
            if token.text in self.terminators and not kinds:
                break
            if (token.text in self.negation_terminators and not kinds and j not in covered
                    and not (j > 0 and tokens[j - 1].text in _CONDITION_WORDS)):
                # "no trouble when he's sitting": the clause after "when" is still what is denied
                negation_open = False  # "my" inside "pins and needles in my hands" starts no new clause
            # A comma ends a negation unless only list items stand between it and the phrase
            # ("no swelling, redness or warmth") - not a new clause ("no swelling, legs look the same").
            if token.text == "," and not _list_continues(tokens, j, match, covered):
                negation_open = False
            # Words of other findings do not use up the window: a negation runs down a list of them
            # ("no pins and needles in my hands or round my mouth").
            if token.text.isalnum() and j not in covered:
                words += 1
            j -= 1
        # A negation the phrase's gap stepped over ("hands HAVEN'T gone into spasm", "stretches HAVEN'T
        # helped") negates it, unless the pattern spells the negation itself ("can't ~ feel").
        if match.end - match.start > 2 and not negated:
            literal = _literal_words(match.pattern)
            for k in range(match.start + 1, match.end - 1):
                if "negation_pre" in triggers.get(k, set()) and tokens[k].text not in literal:
                    negated = True
                    break
        for k in range(match.end, min(len(tokens), match.end + 4)):
            token = tokens[k]
            if token.text in SENTENCE_END or (token.text in self.terminators and not triggers.get(k)):
                break
            kinds = triggers.get(k, set())
            negated = negated or "negation_post" in kinds
            uncertain = uncertain or "uncertain_post" in kinds
        flags = questions if questions is not None else question_sentences(tokens)
        in_question = bool(flags) and flags[tokens[match.start].sentence]
        return Assertion(negated, uncertain, other, in_question)


@lru_cache(maxsize=4096)
def _literal_words(pattern: str) -> frozenset[str]:
    return frozenset(w for part in pattern.split() for alt in part.split("|") for w in alt.split("_"))


_CONDITION_WORDS = frozenset({"when", "while", "whilst", "if", "whenever", "once"})
_LIST_WORDS = frozenset({"or", "and", "nor", "no", "any", "nothing"})


_LIST_ENDS = frozenset({",", "or", "and", "nor", "in", "on", "of", "at", "that", "either", "anywhere", "there"})


def _list_continues(tokens: Sequence[Token], comma: int, match: Match, covered: frozenset[int]) -> bool:
    if match.end - match.start > 2:
        return False
    between = range(comma + 1, match.start)

    def joins(k: int) -> bool:
        return tokens[k].text in _LIST_WORDS or tokens[k].text == ","

    # A one-word item of the list that is no finding of ours ("no recent surgery, travel or HRT") still
    # continues it; two words in a row ("no swelling, calf is red") start a new clause.
    if not all(k in covered or joins(k) or (joins(k - 1) and k + 1 < len(tokens) and joins(k + 1)) for k in between):
        return False
    if match.start == comma + 1:  # the phrase is the first item after the comma: it must end like a list item
        after = tokens[match.end].text if match.end < len(tokens) else "."
        return after in _LIST_ENDS or after in SENTENCE_END
    return True


def question_sentences(tokens: Sequence[Token]) -> list[bool]:
    """For each sentence index: is it a question ("Is it my kidneys?")? One pass over the tokens."""
    count = (tokens[-1].sentence + 1) if tokens else 0
    flags = [False] * count
    first: dict[int, str] = {}
    for token in tokens:
        first.setdefault(token.sentence, token.text)
        if token.text == "?" and first[token.sentence] in QUESTION_STARTS:
            flags[token.sentence] = True
    return flags


def _inside(inner: Match, outer: Match) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _mentions_subject(tokens: Sequence[Token], index: int, subject_words: frozenset[str]) -> bool:
    lo = max(0, index - 3)
    return any(tokens[k].text in subject_words for k in range(lo, index + 1))
