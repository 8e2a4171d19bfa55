"""Explanations read as words: a number from the description is never shown as a rule atom."""

from __future__ import annotations

from crampwise.pipeline import assess_text


def test_a_measure_reads_as_words_in_the_explanation() -> None:
    a = assess_text("35M, my hamstring cramped in bed and stayed rock hard for about 25 minutes, no swelling")
    flag = next(f for f in a.red_flags if f.id == "cramp_not_resolving")
    assert "a cramp lasting more than 10 minutes" in flag.because
    assert not any("measure:" in line for line in flag.because)
    assert len(flag.because) == len(set(flag.because))


def test_a_new_medicine_that_raises_statin_levels_is_a_new_drug_onset() -> None:
    a = assess_text("My nan is 79, on atorvastatin for years. Three weeks ago the GP gave her fusidic acid tablets. "
                    "Now her legs ache and she is weak.")
    flag = next(f for f in a.red_flags if f.id == "new_drug_onset")
    assert "a new medicine that raises statin levels, taken with a statin" in flag.because
