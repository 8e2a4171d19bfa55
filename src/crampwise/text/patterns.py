"""Compile lexicon phrases once and find them in tokenized text.

Patterns are indexed by their first word, so matching costs a dictionary lookup per token plus a
short walk for the few candidates: linear in the length of the text, whatever the lexicon size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crampwise.text.tokens import SENTENCE_END, Token, split_words

MAX_GAP = 3


class PatternError(ValueError):
    pass


# Not slotted: frozen slotted dataclasses unpickle through a Python call per object, which doubled the
# start-up cache's load time (thousands of positions).
@dataclass(frozen=True)
class Position:
    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    number: bool = False
    gap: bool = False

    def accepts(self, token: Token) -> bool:
        return self.accepts_word(token.text, token.is_number)

    def accepts_word(self, word: str, is_number: bool) -> bool:
        if word in self.exact:
            return True
        if self.number and is_number:
            return True
        return bool(self.prefixes) and word.startswith(self.prefixes)


@dataclass(frozen=True)
class Pattern:
    key: str  # what a match means: a finding id, "no:<finding>", a trigger kind, "med:<id>"
    positions: tuple[Position, ...]
    text: str
    near: Position | None = None
    not_near: Position | None = None
    window: int = 8


@dataclass(frozen=True)
class Match:
    key: str
    start: int  # token index
    end: int  # token index, exclusive
    pattern: str


def parse_position(spec: str) -> Position:
    if spec == "~":
        return Position(gap=True)
    exact: set[str] = set()
    prefixes: list[str] = []
    number = False
    for alt in spec.split("|"):
        if alt == "N":
            number = True
            continue
        if alt.endswith("*"):
            prefixes.append(alt[:-1])
            continue
        words = split_words(alt)
        if len(words) != 1:
            raise PatternError(f"alternative {alt!r} is not one word")
        exact.add(words[0])
    return Position(frozenset(exact), tuple(prefixes), number)


def compile_pattern(key: str, text: str, **options: Any) -> Pattern:
    positions: list[Position] = []
    for part in text.split():
        if "|" in part or part in ("~", "N") or part.endswith("*"):
            positions.append(parse_position(part))
        else:
            positions.extend(Position(frozenset({w})) for w in split_words(part))
    if not positions or positions[0].gap or positions[-1].gap:
        raise PatternError(f"pattern {text!r} for {key} must start and end with a word")
    return Pattern(key, tuple(positions), text, **options)


def expand(text: str) -> list[str]:
    """Spell out multi-word alternatives: "carry_on|keep_going" stands for the phrases "carry on" and
    "keep going" at that position; single-word alternatives stay one position ("a|b_c d" ->
    "a d", "b c d"). Without this, "throw up|vomit" would silently mean "throw" then "up|vomit"."""
    variants = [""]
    for part in text.split():
        alts = part.split("|")
        multi = [a.replace("_", " ") for a in alts if "_" in a]
        if not multi:
            options = [part]
        else:
            single = "|".join(a for a in alts if "_" not in a)
            options = ([single] if single else []) + multi
        variants = [f"{v} {o}".strip() for v in variants for o in options]
    return variants


def compile_lexicon(entries: Mapping[str, Any]) -> list[Pattern]:
    """Compile `key: [phrases]` or `key: {patterns, near, not_near, window}` mappings."""
    compiled: list[Pattern] = []
    for key, spec in entries.items():
        options: dict[str, Any] = {}
        phrases: Iterable[str]
        if isinstance(spec, Mapping):
            phrases = spec.get("patterns", [])
            if spec.get("near"):
                options["near"] = parse_position("|".join(spec["near"]))
            if spec.get("not_near"):
                options["not_near"] = parse_position("|".join(spec["not_near"]))
            if spec.get("window"):
                options["window"] = int(spec["window"])
        else:
            phrases = spec or []
        for phrase in phrases:
            # "finding#2" lets one finding have several pattern groups with different context options
            for variant in expand(phrase):
                compiled.append(compile_pattern(key.split("#")[0], variant, **options))
    return compiled


# Candidates for one word: patterns to try whatever follows, and patterns keyed by the word that must
# come next. Each carries its rank in the word's candidate list, so matches keep that order.
_Ranked = tuple[tuple[int, Pattern], ...]
_Bucket = tuple[_Ranked, dict[str, _Ranked]]
_MEMO_LIMIT = 20_000  # distinct words remembered per matcher; any text beyond that is still matched


@dataclass
class Matcher:
    patterns: Sequence[Pattern]
    _by_word: dict[str, list[Pattern]] = field(default_factory=dict, init=False)
    _by_number: list[Pattern] = field(default_factory=list, init=False)
    _by_prefix: dict[str, list[Pattern]] = field(default_factory=dict, init=False)  # keyed by 2 letters
    _memo: dict[tuple[str, bool], _Bucket] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        # Index every pattern by what its first word can be, so each token looks at few candidates.
        for pattern in self.patterns:
            first = pattern.positions[0]
            if first.number:
                self._by_number.append(pattern)
            for prefix in first.prefixes:
                self._by_prefix.setdefault(prefix[:2], []).append(pattern)
            for word in first.exact:
                self._by_word.setdefault(word, []).append(pattern)

    def _bucket(self, word: str, is_number: bool) -> _Bucket:
        key = (word, is_number)
        bucket = self._memo.get(key)
        if bucket is not None:
            return bucket
        candidates: list[Pattern] = list(self._by_word.get(word, ()))
        if is_number:
            candidates += self._by_number
        candidates += self._by_prefix.get(word[:2], ())
        seen: set[int] = set()
        always: list[tuple[int, Pattern]] = []
        by_next: dict[str, list[tuple[int, Pattern]]] = {}
        for pattern in candidates:
            if id(pattern) in seen:
                continue
            ranked = (len(seen), pattern)
            seen.add(id(pattern))
            if not pattern.positions[0].accepts_word(word, is_number):
                continue  # a 2-letter prefix bucket neighbour
            second = pattern.positions[1] if len(pattern.positions) > 1 else None
            # Most phrases go on with a fixed word: only the few whose next word is that one are tried.
            if second is not None and second.exact and not (second.prefixes or second.number or second.gap):
                for nxt in second.exact:
                    by_next.setdefault(nxt, []).append(ranked)
            else:
                always.append(ranked)
        bucket = (tuple(always), {k: tuple(v) for k, v in by_next.items()})
        if len(self._memo) < _MEMO_LIMIT:
            self._memo[key] = bucket
        return bucket

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        found: list[Match] = []
        count = len(tokens)
        for i, token in enumerate(tokens):
            always, by_next = self._bucket(token.text, token.is_number)
            tried: _Ranked = always
            if by_next and i + 1 < count:
                following = by_next.get(tokens[i + 1].text)
                if following:
                    tried = tuple(sorted(always + following, key=_rank)) if always else following
            for _, pattern in tried:
                end = _match_at(pattern.positions, 1, tokens, i + 1)
                if end is not None and _context_ok(pattern, tokens, i, end):
                    found.append(Match(pattern.key, i, end, pattern.text))
        return found


def _rank(item: tuple[int, Pattern]) -> int:
    return item[0]


def _match_at(positions: Sequence[Position], k: int, tokens: Sequence[Token], i: int) -> int | None:
    if k == len(positions):
        return i
    position = positions[k]
    if position.gap:
        for skip in range(MAX_GAP + 1):
            j = i + skip
            if j > len(tokens) or (skip and tokens[j - 1].text in SENTENCE_END):
                break
            end = _match_at(positions, k + 1, tokens, j)
            if end is not None:
                return end
        return None
    if i < len(tokens) and position.accepts(tokens[i]):
        return _match_at(positions, k + 1, tokens, i + 1)
    return None


def _context_ok(pattern: Pattern, tokens: Sequence[Token], start: int, end: int) -> bool:
    if pattern.near is None and pattern.not_near is None:
        return True
    lo, hi = max(0, start - pattern.window), min(len(tokens), end + pattern.window)
    around = [tokens[j] for j in range(lo, hi) if not start <= j < end]
    if pattern.near is not None and not any(pattern.near.accepts(t) for t in around):
        return False
    return not (pattern.not_near is not None and any(pattern.not_near.accepts(t) for t in around))
