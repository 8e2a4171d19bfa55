"""Tokenizer and the lexicon pattern compiler/matcher."""

from __future__ import annotations

import pytest

from crampwise.kb import load
from crampwise.text.patterns import (
    MAX_GAP,
    Matcher,
    PatternError,
    compile_lexicon,
    compile_pattern,
    parse_position,
)
from crampwise.text.tokens import SENTENCE_END, normalise, split_words, tokenize


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm 67", ["im", "67"]),
        ("Calves CRAMP at 3am", ["calves", "cramp", "at", "3", "am"]),
        ("it’s my calf", ["its", "my", "calf"]),  # curly apostrophe
        ("2,500 steps and 37.5°C", ["2,500", "steps", "and", "37.5", "°", "c"]),
        ("no swelling; legs look the same.", ["no", "swelling", ";", "legs", "look", "the", "same", "."]),
        ("heart-failure", ["heart", "failure"]),
        ("Lasix/furosemide 40mg", ["lasix", "/", "furosemide", "40", "mg"]),
        ("", []),
        ("   \t  ", []),
        ("😀 🦵 <b>", ["b"]),
    ],
)
def test_tokenize_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_token_offsets_point_into_the_original_text() -> None:
    text = "My CALF cramps at night. It’s bad!"
    for token in tokenize(text):
        assert normalise(text[token.start : token.end]).replace("'", "") == token.text


def test_sentences_are_counted() -> None:
    tokens = tokenize("One. Two! Three? Four; five\nsix")
    by_word = {t.text: t.sentence for t in tokens if t.text not in SENTENCE_END}
    assert by_word == {"one": 0, "two": 1, "three": 2, "four": 3, "five": 4, "six": 5}


def test_number_tokens() -> None:
    tokens = tokenize("39.8 and 12")
    assert [t.is_number for t in tokens] == [True, False, True]


def test_split_words_for_the_compiler() -> None:
    assert split_words("don't") == ["dont"]
    assert split_words("in bed") == ["in", "bed"]


# ---------------------------------------------------------------- compiler
@pytest.mark.parametrize("spec", ["at|in-bed", "a|3pm", "wake|woke-up", "calf|lower-leg"])
def test_multi_word_alternatives_are_rejected(spec: str) -> None:
    with pytest.raises(PatternError, match="is not one word"):
        compile_pattern("timing_night", spec)


@pytest.mark.parametrize("spec", ["~ calf", "calf ~", "~"])
def test_patterns_must_start_and_end_with_a_word(spec: str) -> None:
    with pytest.raises(PatternError, match="must start and end with a word"):
        compile_pattern("k", spec)


def test_parse_position_kinds() -> None:
    position = parse_position("night|nite|wake*|N")
    assert position.exact == frozenset({"night", "nite"})
    assert position.prefixes == ("wake",)
    assert position.number
    assert parse_position("~").gap


def test_plain_words_in_a_pattern_split_into_positions() -> None:
    pattern = compile_pattern("k", "don't stretch")
    assert [sorted(p.exact) for p in pattern.positions] == [["dont"], ["stretch"]]


def test_every_packaged_lexicon_phrase_compiles() -> None:
    kb = load()
    patterns = compile_lexicon(kb.lexicon)
    assert len(patterns) > 500
    assert {p.key for p in patterns} <= {k.split("#")[0] for k in kb.lexicon}


# ---------------------------------------------------------------- matcher
MATCHER = Matcher(compile_lexicon({
    "timing_night": ["at night|nite", "wake* up"],
    "calf_hurts": ["calf ~ hurts"],
    "clock": ["N am|pm"],
    "near_test": {"patterns": ["swollen"], "near": ["leg", "calf"], "not_near": ["eyes"], "window": 3},
}))


def keys(text: str) -> list[str]:
    return [m.key for m in MATCHER.find(tokenize(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it hurts at night", ["timing_night"]),
        ("at nite", ["timing_night"]),
        ("I wake up", ["timing_night"]),  # a prefix position also matches the bare word
        ("it wakes up me", ["timing_night"]),
        ("at 3 am", ["clock"]),
        ("at three am", []),
        ("my calf really hurts", ["calf_hurts"]),
        ("my calf a b c hurts", ["calf_hurts"]),  # gap of MAX_GAP words
        ("my calf a b c d hurts", []),  # one word too many
        ("my calf. it hurts", []),  # a gap never crosses a sentence end
        ("my leg is swollen", ["near_test"]),
        ("my eyes are swollen", []),
        ("my leg is swollen and my eyes", []),  # not_near wins inside the window
    ],
)
def test_matcher_table(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_max_gap_is_three() -> None:
    assert MAX_GAP == 3


def test_match_positions_are_token_indices() -> None:
    tokens = tokenize("oh my calf really hurts")
    (match,) = MATCHER.find(tokens)
    assert (match.start, match.end) == (2, 5)
    assert tokens[match.start].text == "calf"
    assert tokens[match.end - 1].text == "hurts"


def test_underscore_joins_the_words_of_one_alternative() -> None:
    from crampwise.text.patterns import expand

    assert expand("carry_on|keep_going now") == ["carry on now", "keep going now"]
    assert expand("a|b_c d") == ["a d", "b c d"]
    assert expand("in the garden ~ N_hours|all_day") == ["in the garden ~ N hours", "in the garden ~ all day"]
    assert expand("plain words only") == ["plain words only"]


def test_multi_word_alternatives_match_each_phrase() -> None:
    from crampwise.text.patterns import Matcher, compile_lexicon
    from crampwise.text.tokens import tokenize

    matcher = Matcher(compile_lexicon({"vomit": ["throwing_up|vomiting ~ N times a day"]}))
    for text in ("throwing up 6 times a day", "vomiting 6 times a day"):
        assert [m.key for m in matcher.find(tokenize(text))] == ["vomit"], text
    assert matcher.find(tokenize("throwing 6 times a day")) == []
