"""Find laboratory results in free text: "potassium 3.1", "my eGFR is 28", "CK 131,900 U/L".

One left-to-right scan: a precompiled alternation of analyte names finds a candidate, then a few
small anchored patterns read what follows it (connecting words, the number, the unit, a range the
laboratory printed, a second value in brackets). Every step reads a bounded stretch of text after
the name, so the whole scan is linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from crampwise.labs._data import LabData, load_data

__all__ = ["LabMention", "normalise_unit", "parse_labs"]


@dataclass(frozen=True)
class LabMention:
    """A laboratory result found in text, before interpretation."""

    analyte: str  # canonical id, e.g. "potassium", "egfr", "hba1c"
    value: float
    unit: str = ""  # normalised spelling ("mmol/L", "µmol/L"...), "" if none was given
    start: int = 0  # character offsets of `evidence` in the text
    end: int = 0
    evidence: str = ""  # the words matched, e.g. "potassium was 3.1"
    reported_low: float | None = None  # a range printed next to it, in the same unit as `value`
    reported_high: float | None = None
    alt_value: float | None = None  # a second value for the same result: "78 mmol/mol (9.3%)"
    alt_unit: str = ""
    comparator: str = ""  # "<" or ">" when the result was given as "eGFR >90"
    adjusted: bool = False  # named as albumin-adjusted ("corrected calcium"): not adjusted again
    earlier: bool = False  # dated before a newer result (set by the caller, which reads the text's time words)
    follows: bool = False  # a later value in a list after one name: the 36 of "eGFR 55 in 2022, 47 in 2023 and 36"


# Words allowed between a name and its number: "potassium was only 3.1", "eGFR came back at 28".
_CONNECTOR_WORDS = """
    was is are were be been being has had have of at level levels lvl result results reading readings
    value values came come back as now only just about around approx approximately roughly nearly
    almost still went gone up down to dropped drop rose fell fallen measured measuring low high normal
    raised elevated very quite slightly bit a the checked tested test showed shows showing show said
    says reported read reads it's its my latest last recent recently today yesterday currently
    on in from blood bloods yesterday's today's week's this morning's
"""
_CONNECTORS = frozenset(_CONNECTOR_WORDS.split())
_COMPARATORS = {"<": "<", ">": ">", "≤": "<", "≥": ">", "<=": "<", ">=": ">", "below": "<", "under": "<",
                "above": ">", "over": ">"}  # fmt: skip

_SEP = re.compile(r"(?:['’]s\b)?\s*(?:[:=~]|[-–—](?=\s)|\((?:s|p|serum|plasma)\))?\s*")
_WORD = re.compile(r"([A-Za-z][A-Za-z'’]*)")
_NUMBER = re.compile(
    r"(?P<cmp>[<>≤≥]=?|(?:below|under|above|over)(?=\s))?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?!\d|,\d)(?:\.\d+)?|\d+,\d{1,2}(?!\d|,\d)|\d+(?:\.\d+)?|\.\d+)",
    re.IGNORECASE,
)
# After the number: a fraction, time, date or range means this is not a single result.
_BAD_NEXT = re.compile(r"\s?[/:\-–](?=\s?\d)|\.\d|[.,]?[A-Za-z_]")
# Words after a number that show it is a dose, a time, a count or a measure of something else.
_NOT_LAB = re.compile(
    r"\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock|h|hr|hrs|hour|hours|min|mins|minute|minutes|sec|secs|second|"
    r"seconds|day|days|d|wk|wks|week|weeks|month|months|mo|mos|yr|yrs|year|years|y|yo|y/o|x|times|time|"
    r"kg|kgs|kilos?|lb|lbs|pounds?|st|stone|km|k|miles?|mi|m|cm|mm|ft|feet|inch|inches|mg|mgs|mcg|µg|μg|"
    r"ug|g|gm|grams?|iu|units?|tabs?|tablets?|capsules?|caps|pills?|doses?|sachets?|spoons?|teaspoons?|"
    r"ml|mls|l|litres?|liters?|cups?|glass|glasses|packs?|nd|rd|th|mmhg|bpm|°|degrees?|c|f|kcal|cal|"
    r"steps|people|nights?|mornings?|weeks'|drinks?|bananas?)(?![A-Za-z])",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\s*(?:daily|a\s+day|per\s+day|each\s+day|every\s+day|a\s+week|per\s+week|weekly|twice|once|"
    r"bd|bid|tds|tid|od|qds|nocte)(?![A-Za-z])",
    re.IGNORECASE,
)
# A supplement or medicine just before the name: "take magnesium 400", "tried calcium 600".
_DOSE_BEFORE = re.compile(
    r"(?:\btake|\btakes|\btaking|\btook|\btaken|\btried|\btrying|\busing|\buse|\bused|\bstarted|"
    r"\bprescribed|\bsupplementing)\s+(?:(?:a|an|some|extra|daily|the|my|high[\s-]?dose|low[\s-]?dose|"
    r"liquid|oral)\s+){0,2}$",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*[(\[]([^()\[\]\n]{0,80})[)\]]")
_NUM = r"\d+(?:\.\d+)?"
_RANGE = re.compile(rf"(?P<lo>{_NUM})\s*(?:-|–|—|to)\s*(?P<hi>{_NUM})")
_RANGE_WORDS = re.compile(
    r"\s*[,;]?\s*(?:the\s+)?(?:normal(?:\s+range)?|ref(?:erence)?(?:\s+(?:range|interval))?|range|nr|rr)"
    r"(?:\s+(?:is|was|being|of|=))?\s*[:=]?\s*"
    rf"(?P<lo>{_NUM})\s*(?:-|–|—|to)\s*(?P<hi>{_NUM})",
    re.IGNORECASE,
)
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_SECOND_VALUE = re.compile(rf"\s*(?:or|=|≈|~|approx\.?)?\s*({_NUM})\s*(.*?)\s*")
_LIST_GAP = re.compile(r"\s*(?:[,;&+/]|and)?\s*(?:and\s+)?", re.IGNORECASE)
_MAX_CONNECTORS = 6


def _alias_key(alias: str) -> str:
    return "".join(ch for ch in alias.lower() if not ch.isspace() and ch != "-")


def _alias_regex(alias: str, ignore_case: bool) -> str:
    body = r"[\s\-]*".join(re.escape(part) for part in re.split(r"[\s\-]+", alias.strip()) if part)
    return f"(?i:{body})" if ignore_case else body


class _Grammar:
    """Patterns and lookup tables built once from the packaged data."""

    def __init__(self, data: LabData) -> None:
        self.data = data
        # alias key -> (analyte id or "" for "not a result", adjusted?)
        self.by_name: dict[str, tuple[str, bool]] = {}
        self.by_abbreviation: dict[str, tuple[str, bool]] = {}
        pieces: list[tuple[int, str]] = []
        for phrase in data.not_results:
            self.by_name[_alias_key(phrase)] = ("", False)
            pieces.append((len(phrase), _alias_regex(phrase, True)))
        for aid, analyte in data.analytes.items():
            for name in analyte.names:
                self.by_name.setdefault(_alias_key(name), (aid, False))
                pieces.append((len(name), _alias_regex(name, True)))
            for name in analyte.adjusted_names:
                self.by_name.setdefault(_alias_key(name), (aid, True))
                pieces.append((len(name), _alias_regex(name, True)))
            for abbreviation in analyte.abbreviations:
                self.by_abbreviation[abbreviation] = (aid, False)
                pieces.append((len(abbreviation), _alias_regex(abbreviation, False)))
        pieces.sort(key=lambda item: -item[0])
        alternation = "|".join(dict.fromkeys(p for _, p in pieces))
        self.names = re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])")

        spellings: dict[str, str] = {}
        for unit, variants in data.unit_spellings.items():
            for variant in variants:
                spellings[variant.lower()] = unit
        self.unit_of = spellings
        ordered = sorted(spellings, key=len, reverse=True)
        units = "|".join(re.escape(s) for s in ordered)
        self.unit = re.compile(rf"\s*(?P<unit>{units})(?![A-Za-z0-9µμ²])", re.IGNORECASE)

    def lookup(self, matched: str) -> tuple[str, bool] | None:
        return self.by_abbreviation.get(matched) or self.by_name.get(_alias_key(matched))


_GRAMMAR = _Grammar(load_data())


def normalise_unit(unit: str) -> str:
    """The normalised spelling of a unit ("mg/dl" -> "mg/dL"); unknown units come back unchanged."""
    cleaned = unit.strip()
    return _GRAMMAR.unit_of.get(cleaned.lower(), cleaned)


def _number(text: str) -> float:
    if _DECIMAL_COMMA.fullmatch(text):  # decimal comma: "3,1"
        return float(text.replace(",", "."))
    return float(text.replace(",", ""))


def _skip_connectors(text: str, pos: int) -> int:
    pos = _SEP.match(text, pos).end()  # type: ignore[union-attr]  # the pattern can match empty
    for _ in range(_MAX_CONNECTORS):
        word = _WORD.match(text, pos)
        if word is None or word.group(1).lower().replace("’", "'") not in _CONNECTORS:
            break
        pos = _SEP.match(text, word.end()).end()  # type: ignore[union-attr]
    return pos


def _read_unit(text: str, pos: int) -> tuple[str, int]:
    found = _GRAMMAR.unit.match(text, pos)
    if found is None:
        return "", pos
    return _GRAMMAR.unit_of[found.group("unit").lower()], found.end()


def _convert_range(
    analyte: str, low: float, high: float, from_unit: str, to_unit: str
) -> tuple[float, float]:
    units = _GRAMMAR.data.analytes[analyte].units
    source, target = units[from_unit], units[to_unit]
    return target.from_si(source.to_si(low)), target.from_si(source.to_si(high))


def _match_at(text: str, start: int, end: int, analyte: str, adjusted: bool) -> LabMention | None:
    """Read a result for `analyte` whose name spans text[start:end]; None if there is none."""
    window = text[max(0, start - 40) : start]
    if _DOSE_BEFORE.search(window):
        return None
    pos = _skip_connectors(text, end)
    number = _NUMBER.match(text, pos)
    if number is None:
        return None
    pos = number.end()
    if _BAD_NEXT.match(text, pos) and not _GRAMMAR.unit.match(text, pos):
        return None
    unit, pos = _read_unit(text, pos)
    if not unit and _NOT_LAB.match(text, pos):
        return None
    if _FREQUENCY.match(text, pos):
        return None
    units = _GRAMMAR.data.analytes[analyte].units
    value = _number(number.group("num"))
    comparator = _COMPARATORS.get((number.group("cmp") or "").lower(), "")
    reported: tuple[float, float] | None = None
    alt_value: float | None = None
    alt_unit = ""
    for _ in range(2):  # "78 mmol/mol (9.3%)", "5.1 mg/dL (they said normal is 8.4-10.2)"
        paren = _PAREN.match(text, pos)
        if paren is not None:
            inside = paren.group(1)
            span = _RANGE.search(inside)
            if span is not None and reported is None:
                low, high = float(span.group("lo")), float(span.group("hi"))
                range_unit, _ = _read_unit(inside, span.end())
                if range_unit and range_unit in units:
                    if not unit:
                        unit = range_unit
                    elif unit in units and range_unit != unit:
                        low, high = _convert_range(analyte, low, high, range_unit, unit)
                reported = (low, high)
                pos = paren.end()
                continue
            second = _SECOND_VALUE.fullmatch(inside)
            if second is not None and alt_value is None:
                second_unit, _ = _read_unit(second.group(2), 0)
                if second_unit or not second.group(2):
                    alt_value, alt_unit = float(second.group(1)), second_unit
                    pos = paren.end()
                    continue
        words = _RANGE_WORDS.match(text, pos)
        if words is not None and reported is None:
            reported = (float(words.group("lo")), float(words.group("hi")))
            pos = words.end()
            range_unit, after = _read_unit(text, pos)
            if range_unit:
                pos = after
                if range_unit in units and unit in units and range_unit != unit:
                    reported = _convert_range(analyte, *reported, range_unit, unit)
                elif range_unit in units and not unit:
                    unit = range_unit
            continue
        break
    if reported is not None and not reported[0] < reported[1]:
        reported = None
    return LabMention(
        analyte=analyte,
        value=value,
        unit=unit,
        start=start,
        end=pos,
        evidence=text[start:pos],
        reported_low=reported[0] if reported else None,
        reported_high=reported[1] if reported else None,
        alt_value=alt_value,
        alt_unit=alt_unit,
        comparator=comparator,
        adjusted=adjusted,
    )


def _share_units(text: str, mentions: list[LabMention]) -> list[LabMention]:
    """A unit after the last of a list applies to all: "calcium 1.89 and magnesium 0.32 mmol/L"."""
    result = list(mentions)
    for i in range(len(result) - 2, -1, -1):
        here, after = result[i], result[i + 1]
        if here.unit or not after.unit or here.reported_low is not None:
            continue
        gap = _LIST_GAP.match(text, here.end)
        if gap is None or gap.end() != after.start:
            continue
        window = _GRAMMAR.data.analytes[here.analyte].infer.get(after.unit)
        if window is not None and window[0] <= here.value <= window[1]:  # the size must fit the unit
            result[i] = replace(here, unit=after.unit)
    return result


def parse_labs(text: str) -> list[LabMention]:
    """Every laboratory result in `text`, in order of appearance."""
    mentions: list[LabMention] = []
    pos = 0
    while True:
        found = _GRAMMAR.names.search(text, pos)
        if found is None:
            break
        pos = found.end()
        entry = _GRAMMAR.lookup(found.group(0))
        if entry is None or not entry[0]:
            continue
        mention = _match_at(text, found.start(), found.end(), entry[0], entry[1])
        if mention is not None:
            line_start = text.rfind("\n", 0, mention.start) + 1
            if not _LIMITS.search(text, line_start, mention.start):
                mentions.append(mention)
                for more in _series(text, mention):
                    mentions.append(more)
                    mention = more
            pos = mention.end
    return _share_units(text, mentions)


# "eGFR 55 in 2022, 47 in 2023, and 36 in April": more values of the same test after its name, each
# optionally dated. A number followed by a time unit, a dose or a range is not one of them.
_SERIES = re.compile(
    r"(?P<date>\s+(?:in|on|at)\s+(?:[a-z]+\s+)?(?:19|20)\d\d)?"
    r"(?:\s*,\s*(?:and\s+|then\s+|now\s+)?|\s+(?:and|then|now|to)\s+|\s*(?:->|→)\s*)(?:(?:it\s+)?(?:was|is|went to)\s+)?"
    r"(?P<v>\d+(?:\.\d+)?)(?![\d.,/%-]|\s*(?:-|to\s+\d|days?|weeks?|wks?|months?|years?|yrs?|hours?|hrs?|mins?|minutes?|"
    r"times?|x\b|am\b|pm\b|mg|mcg|units?|puffs?|tablets?|kg|lbs?|cm|mm)\b)",
    re.IGNORECASE,
)
_SERIES_MAX = 6


def _series(text: str, first: LabMention) -> list[LabMention]:
    found: list[LabMention] = []
    pos = first.end
    for _ in range(_SERIES_MAX):
        m = _SERIES.match(text, pos)
        if m is None:
            break
        value = float(m.group("v"))
        if not first.value / 5 <= value <= first.value * 5:  # another quantity, not this test again
            break
        unit, end = _read_unit(text, m.end())
        if unit and unit != first.unit:
            break
        found.append(replace(first, value=value, start=m.start("v"), end=end, evidence=text[m.start("v"):end],
                             reported_low=None, reported_high=None, alt_value=None, alt_unit="", comparator="",
                             follows=True))
        pos = end
    return found


# A lab sheet's legend of the values it phones through ("CRITICAL LIMITS - K <2.5 or >6.5") names
# thresholds, not the person's results: a mention after such words on the same line is skipped.
_LIMITS = re.compile(
    r"\b(?:critical|action|alert|panic|phon\w*|notif\w*)\s+(?:limits?|values?|levels?|ranges?)\b|\blimits\s*[:\-–]",
    re.IGNORECASE,
)
