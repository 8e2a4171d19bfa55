"""Plain terminal rendering: triage first, then why, medicines, tests, plan, questions, sources.

No colour library: ANSI bold only when writing to a terminal, so output pipes cleanly.
"""

from __future__ import annotations

import textwrap

from crampwise.kb import KnowledgeBase
from crampwise.model import Assessment

WIDTH = 88


def _wrap(text: str, indent: str = "  ", width: int = WIDTH) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ")


def _cite(sources: tuple[str, ...] | list[str], numbers: dict[str, int]) -> str:
    marks = [str(numbers[s]) for s in sources if s in numbers]
    return f" [{', '.join(marks)}]" if marks else ""


def render(assessment: Assessment, kb: KnowledgeBase, *, bold: bool = False) -> str:
    b = (lambda s: f"\033[1m{s}\033[0m") if bold else (lambda s: s)
    numbers = {key: i for i, key in enumerate(assessment.sources, 1)}
    out: list[str] = []
    t = assessment.triage
    out.append(b(f"== {t.label.upper()} =="))
    out.append(_wrap(t.action + _cite(t.sources[:2], numbers)))
    for reason in t.because:
        out.append(_wrap(f"- {reason}"))
    if assessment.red_flags:
        out.append("")
        out.append(b("Warning signs found"))
        for flag in assessment.red_flags:
            out.append(_wrap(f"! {flag.name} ({flag.level.replace('_', ' ')}): {flag.advice}{_cite(flag.sources, numbers)}"))
            out.append(_wrap(f"because: {'; '.join(flag.because)}", indent="    "))
    if assessment.general:
        general = kb.meta["general_answer"]
        out.append("")
        out.append(_wrap(general["intro"] + _cite(general["intro_sources"], numbers), indent=""))
        out.append("")
        out.append(b(general["causes_heading"]))
        for fid in general["causes"]:
            factor_def = kb.factors[fid]
            out.append(_wrap(f"- {factor_def.name}: {factor_def.explanation}"))
        out.append("")
        out.append(b(general["when_heading"]))
        for rid in general["when_flags"]:
            flag_def = kb.red_flags[rid]
            out.append(_wrap(f"- {flag_def.name}: {flag_def.advice}"))
        out.append("")
        out.append(b(general["helps_heading"]))
        for aid in general["helps"]:
            advice_def = kb.advice[aid]
            out.append(_wrap(f"- {advice_def.name}: {advice_def.text}"))
        out.append("")
        out.append(_wrap(general["offer"], indent=""))
    if assessment.understood:
        out.append("")
        out.append(b("What I understood (correct me if anything is wrong)"))
        for line in assessment.understood:
            out.append(_wrap(f"- {line}"))
    if assessment.factors and not assessment.general:  # the general answer lists the causes itself
        out.append("")
        out.append(b("Likely contributing factors, most likely first"))
        for i, factor in enumerate(assessment.factors[:6], 1):
            out.append(_wrap(f"{i}. {factor.name} ({factor.likelihood}; evidence grade {factor.evidence})"
                             f"{_cite(factor.sources, numbers)}", indent="  "))
            out.append(_wrap(f"why: {'; '.join(factor.because)}", indent="     "))
            if factor.against:
                out.append(_wrap(f"against: {'; '.join(factor.against)}", indent="     "))
            out.append(_wrap(factor.explanation, indent="     "))
    if assessment.medications:
        out.append("")
        out.append(b("Your medicines"))
        for med in assessment.medications:
            timing = f", {med.timing}" if med.timing else ""
            out.append(_wrap(f"- {med.mentioned} ({med.generic}; {med.class_name}{timing}) - link to cramps: "
                             f"{med.evidence}{_cite(med.sources, numbers)}"))
            if med.detail:
                out.append(_wrap(med.detail, indent="    "))
            out.append(_wrap(med.message, indent="    "))
            for note in med.safety:
                out.append(_wrap(f"safety: {note}", indent="    "))
    if assessment.tests:
        out.append("")
        out.append(b("Tests worth discussing with your clinician"))
        for test in assessment.tests:
            out.append(_wrap(f"- {test.name}: {test.reason}{_cite(test.sources, numbers)}"))
    if assessment.plan:
        out.append("")
        out.append(b("Your plan"))
        for item in assessment.plan:
            out.append(_wrap(f"- {item.name} (evidence {item.evidence}){_cite(item.sources, numbers)}"))
            out.append(_wrap(item.text, indent="    "))
            if item.because:
                out.append(_wrap(f"why: {item.because[0]}", indent="    "))
    if assessment.held_back:
        out.append("")
        out.append(b("Not suggested for you, and why"))
        for held in assessment.held_back:
            out.append(_wrap(f"- {held.name}: {held.reason}{_cite(held.sources, numbers)}"))
    if assessment.questions:
        out.append("")
        out.append(b("Questions that would sharpen this"))
        for q in assessment.questions:
            out.append(_wrap(f"? {q.text}"))
            out.append(_wrap(f"(why I ask: {q.why})", indent="    "))
    out.append("")
    out.append(b("Sources"))
    for key, number in numbers.items():
        out.append(_wrap(f"[{number}] {assessment.sources[key]}", indent="  "))
    out.append("")
    out.append(_wrap(assessment.disclaimer, indent=""))
    return "\n".join(out) + "\n"
