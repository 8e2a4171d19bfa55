"""From free text to a Profile: who, age, sex, pregnancy, findings with negation, medicines, numbers.

Deterministic and pure: all vocabulary comes from data (the lexicon, context triggers and the
medicine list in the knowledge base); this module holds only the mechanics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any, NamedTuple

from crampwise.model import Finding, MedicineUse, Profile
from crampwise.text import numbers
from crampwise.text.context import ContextRules, question_sentences
from crampwise.text.patterns import Match, Matcher, compile_lexicon, compile_pattern
from crampwise.text.tokens import SENTENCE_END, Token, normalise, tokenize

MAX_TEXT = 20_000

RELATIONS: dict[str, tuple[str, str | None]] = {
    # word -> (subject kind, sex)
    "son": ("child", "male"), "daughter": ("child", "female"), "boy": ("child", "male"),
    "girl": ("child", "female"), "child": ("child", None), "kid": ("child", None),
    "dad": ("parent", "male"), "father": ("parent", "male"), "mum": ("parent", "female"),
    "mom": ("parent", "female"), "mother": ("parent", "female"), "mam": ("parent", "female"),
    "grandad": ("parent", "male"), "grandpa": ("parent", "male"), "granddad": ("parent", "male"),
    "granny": ("parent", "female"), "grandmom": ("parent", "female"), "grandmum": ("parent", "female"),
    "stepdad": ("parent", "male"), "stepmum": ("parent", "female"), "stepson": ("child", "male"),
    "stepdaughter": ("child", "female"), "grandfather": ("parent", "male"), "grandma": ("parent", "female"),
    "grandmother": ("parent", "female"), "nan": ("parent", "female"), "gran": ("parent", "female"),
    "husband": ("partner", "male"), "wife": ("partner", "female"), "partner": ("partner", None),
    "girlfriend": ("partner", "female"), "boyfriend": ("partner", "male"),
    "brother": ("other", "male"), "sister": ("other", "female"), "friend": ("other", None),
    "aunt": ("other", "female"), "uncle": ("other", "male"), "patient": ("other", None),
    "flatmate": ("other", None), "roommate": ("other", None), "housemate": ("other", None), "colleague": ("other", None),
    "neighbour": ("other", None), "neighbor": ("other", None), "resident": ("other", None), "client": ("other", None),
    # forum shorthand: dear son / daughter / husband / wife
    "ds": ("child", "male"), "dd": ("child", "female"), "dh": ("partner", "male"), "dw": ("partner", "female"),
}
_REL = "|".join(RELATIONS)
# After a number, words that show it is not an age ("my wife is 30 weeks pregnant").
_NOT_AGE_UNIT = r"(?!\s*(?:weeks?|wks?|months?|mths?|days?|stone|st\b|kg|kgs|lbs?|%|percent|mins?|minutes|hours?|hrs?|cm|times))"
_SUBJECT = [
    re.compile(rf"\b(?:typing|asking|writing|here|messaging|posting)\s+(?:this\s+)?(?:for|on behalf of|about)\s+(?:my|our)\s+(?P<rel>{_REL})\s*(?:,|\(|who is|who's|whos|is|aged)\s*(?P<age>\d{{1,3}})\b"),
    re.compile(rf"\b(?:typing|asking|writing|here|messaging|posting)\s+(?:this\s+)?(?:for|on behalf of|about)\s+(?:my|our)\s+(?:[\w-]+\s+){{0,4}}?(?P<rel>{_REL})\b"),
    re.compile(r"^\W*(?P<rel>dh|ds|dd|dw)\b"),
    re.compile(rf"(?:^|[.!?]\s*|\b(?:posting|typing|asking|writing) for\s+)(?:my|our)\s+(?:[\w-]+\s+){{0,4}}?(?P<rel>{_REL})\s*(?:\(|,)?\s*(?:is|who is|who's|whos|aged|age|,|\(|'s)\s*(?P<age>\d{{1,3}})\b{_NOT_AGE_UNIT}"),
    re.compile(rf"^\s*(?:my\s+)?(?P<rel>{_REL})\s*(?:\(|,|is|aged|'s)\s*(?P<age>\d{{1,3}})\b{_NOT_AGE_UNIT}"),
    re.compile(rf"^\s*(?:my\s+)?(?P<rel>{_REL})\s+(?P<age>\d{{2,3}})\b{_NOT_AGE_UNIT}(?!\s*(?:years? ago|am|pm))"),
    re.compile(rf"\b(?:typing|asking|writing|here)\s+(?:this\s+)?(?:for|on behalf of)\s+(?:my|our)\s+(?P<rel>{_REL})\s*(?:,|\(|who is|is|aged)\s*(?P<age>\d{{1,3}})\b"),
    # "Husband typing. My wife ...": a writer's short preamble, then the person they write about.
    re.compile(rf"^\W*(?:(?:[\w-]+\s+){{0,3}}(?:here|typing|writing|posting)\W+)?(?:asking for\s+|typing for\s+)?(?:my|our)\s+(?:[\w-]+\s+){{0,4}}?(?P<rel>{_REL})\b(?=.{{0,160}}\b(?:she|he|her|his|him|shes|hes)\b)", re.S),
    re.compile(r"(?:^|[.!?]\s*)(?:my|our)\s+(?P<rel>wife|partner|daughter|girlfriend)\s+(?:is|'s)\s+(?:now\s+)?(?:\d{1,2}\s*(?:weeks?|wks?)\s+)?pregnant\b"),
    re.compile(rf"(?:^|[.!?]\s*)(?:my|our)\s+(?:[\w-]+\s+){{0,4}}?(?P<rel>{_REL})\s+(?:keeps getting|keeps having|gets|is getting|"
               rf"is having|has been getting|has been having|has|had|wakes up with|woke up with|complains of|suffers from)"
               rf"\s+(?:\w+\s+){{0,3}}?(?:cramp|cramps|cramping|leg|legs|calf|calves|pain|spasms)\b"),
]
_AGE = [
    re.compile(r"\b(?:i'?m|i am|im)\s+(?P<age>\d{1,3})\s*(?P<sex>m|f|male|female)(?![a-z°\d])"),  # "I'm 72F"
    re.compile(r"""\b(?:i'?m|i am|im|aged?|age:?|age is)\s+(?:now\s+)?(?P<age>\d{1,3})\b(?!\s*(?:kg|lb|lbs|st\b|stone|units?|weeks?|wks?|km|k\b|mg|mcg|%|mins?|minutes|hours?|hrs?|am\b|pm\b|times|x\b|miles|days?|months?|years? ago|cm|inch|ft|feet|foot|degrees|°|\'|"))"""),
    re.compile(r"\b(?P<age>\d{1,3})\s*(?:-\s*)?(?:years?|yrs?|yr)[\s-]*old\b"),
    re.compile(r"\b(?:he'?s|she'?s|he is|she is|they'?re|they are)\s+(?P<age>\d{1,3})\b(?!\s*(?:kg|lb|st|weeks?|%|mins?|minutes|hours?|times|x\b|miles|km|days?|months?))"),
    re.compile(r"\b(?P<age>\d{1,3})\s*(?:yo|y/o|y\.o\.?|yr old|yrs old)(?:\s*(?P<sex>m|f|male|female|man|woman)(?![a-z]))?(?=\W|$)"),
    re.compile(r"\b(?:is|aged|pt|patient|resident|client|mr|mrs|ms)\s+(?P<age>\d{1,3})\s*(?P<sex>m|f|male|female)(?![a-z°\d])"),
    re.compile(r"\b(?:i|he|she|mum|mom|dad)\s+(?:just\s+)?turned\s+(?P<age>\d{1,3})\b"),
    re.compile(r"(?:^|(?<!\d)[.,;:(!?\n]\s*|\band\s+)(?P<age>\d{1,3})\s*(?P<sex>m|f|male|female|man|woman)(?![a-z°\d])"),
    # "67, female." / "58, M" at the start of a line, as people sign off a pasted document
    re.compile(r"(?:^|[.;!?(\n]\s*)(?P<age>\d{2,3})\s*,\s*(?P<sex>male|female|man|woman|m|f)(?![a-z°\d])"),
    re.compile(r"(?:^|[.;!?(]\s*)(?P<sex>m|f|male|female|man|woman|guy|lady)\s*,\s*(?P<age>\d{1,3})(?!\d|\.\d)"),
    re.compile(r"^\s*(?P<age>\d{2})\s*(?:,|\.|\s+(?:and|year|male|female|man|woman|retired))"),
    re.compile(r"[.!?]\s*(?P<age>\d{2})\s*[.!?]?\s*$"),
    re.compile(r"^[^.!?\d]{0,60}?,\s*(?P<age>\d{2})\s*[,.;]"),
    re.compile(r"\b(?P<age>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)[\s-]+years?[\s-]+old\b"),
    re.compile(r"\b(?:i'?m|i am|im|aged)\s+(?P<age>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)\b"),
]
_DECADE = re.compile(r"\bin (?:my|his|her|their) (?:early |late |mid[- ])?(?P<dec>teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|[2-9]0s)\b")
_FEMALE = re.compile(r"\b(?:sex:?\s*f\b|gender:?\s*f\b|woman|female|lady|girl|mum of|mother of|postmenopausal|menopaus\w*|pregnant|my period|gal|wife and mother|breastfeeding|breast feeding|my caesarean|my c-section)\b")
_MALE = re.compile(r"\b(?:sex:?\s*m\b|gender:?\s*m\b|man|male|guy|bloke|gentleman|boy|father of|dad of)\b")
_WEEKS = re.compile(r"\b(?P<w>\d{1,2})\s*(?:\+\d\s*)?(?:weeks?|wks?|w)\b(?:\s*(?:pregnant|gone|along|gestation|into|of pregnancy))?")
_MONTHS_PREGNANT = re.compile(r"\b(?P<m>\d)\s*(?:months?|mths?)\s*(?:pregnant|gone|along|into (?:her|my|the) pregnancy)\b")
_TRIMESTER = re.compile(r"\b(?P<t>first|second|third|1st|2nd|3rd)\s+trimester\b")
_AGO = re.compile(rf"\b(?P<n>{numbers.WORD_NUMBER})\s*(?P<u>days?|weeks?|wks?|months?|mths?|mos?|years?|yrs?)\s+(?:ago|into|in|back|before)\b")
_FOR = re.compile(rf"\bfor\s+(?:about\s+|around\s+|over\s+|nearly\s+|almost\s+|the\s+(?:last|past)\s+)?(?P<n>{numbers.WORD_NUMBER})\s*(?P<u>days?|weeks?|wks?|months?|mths?|years?|yrs?)\b")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_RELATIVE = {"yesterday": 1, "last night": 1, "today": 0, "this morning": 0, "last week": 7, "last month": 30,
             "a while": 60, "recently": 30, "the other day": 3}
_START = re.compile(r"\b(?:started|start(?:ing)?|issued|dispensed|put (?:me|her|him|them|us) on|put on|began|begun|new|switched|swapped|swopped|changed (?:me |her |him )?to|moved (?:me|her|him) (?:off|onto|on to|to|from)|prescribed|gave (?:me|her|him)|give (?:me|her|him)|first dose|took one|took my first|since taking|since i started|since starting|since (?:january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|the spring|the summer|the autumn|the winter|christmas|new year)|been taking|been using|on it|added|adding|weeks? into|months? into|days? into|recently|cycle \d+|cycles? of|(?:first|second|third|\d+(?:st|nd|rd|th)) cycle|course of)\b")
_INCREASE = re.compile(r"\b(?:went from \d+(?:\.\d+)?\s*(?:mg|mcg)? to \d+|from \d+(?:\.\d+)?\s*(?:mg|mcg)? to \d+(?:\.\d+)?\s*(?:mg|mcg)|put (?:\w+\s+){0,3}up|doubled|increased|upped|raised|higher dose|extra|more than (?:i should|prescribed|usual)|instead of (?:1|one)|every \d+ hours?|like every|went up|dose (?:was )?(?:increased|raised|doubled)|(?:[89]|1\d|2\d)\s*(?:-\s*\d+\s*)?puffs|a lot more|loads more|went up to|up to \d+\s*mg|increased to)\b")
_YEARS = re.compile(r"\b(?:for (?:many |several |a few |some )?years|for ages|years now|same dose for|been the same for)\b|"
                    r"\(\s*(?:\d+|over \d+)\+?\s*(?:yrs?|years?)\s*\)")
_DECREASE = re.compile(r"\b(?:reduced|lowered|halved|cut down|cut back)\b")
_BARE_DURATION = re.compile(r"\s*(?:over\s+)?\d+\+?\s*(?:yrs?|years?|months?|mths?)\s*$", re.IGNORECASE)
_OWN_CLAUSE = re.compile(r"\b(?:i|i'm|im|i am|i've|she|he|they|we|also|taking|takes|on)\b")
_SLASH_AGO = re.compile(r"\b(?:started|since|for|x)\s*(?P<n>\d{1,2})\s*/\s*(?P<d>52|12|7)\b|"
                        r"\b(?P<n2>\d{1,2})\s*/\s*(?P<d2>52|12|7)\s+ago\b")
_STOPPED = re.compile(r"\b(?:stopped|came off|taken off|quit|finished|no longer (?:take|on)|used to (?:take|have|be on)|(?:put|go|going|get|getting) (?:\w+ )?back on)\b")
_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|µg|ug|g|ml|units?|puffs?)\b(?:\s*(?:a day|daily|twice a day|at night|in the mornings?|bd|od))?")


# Remedies people ask about as often as they take them: count them only with a verb of use.
REMEDY_CLASSES = frozenset({"quinine", "magnesium_supplement", "potassium_supplement", "calcium_supplement", "none"})
_USE = re.compile(r"\b(?:i take|i'm taking|im taking|i am taking|taking|takes|i'm on|im on|i am on|on (?:\w+ )?(?:\d+\s*mg )?"
                  r"(?=\w)|prescribed|i use|using|ordered|bought|buying|been buying|drinking|i've been taking|been taking|been on|started|put me on|my \w+ tablets?|"
                  r"from (?:the|my) (?:gp|doctor|chemist|pharmacy)|gave (?:me|her|him|them|us)|given|taken|took|has taken|have taken|has been taking|"
                  r"had been taking|takes? (?:his|her|their)|on (?:his|her|their) \w+|"
                  # a dose or a dosing abbreviation is a prescription ("quinine sulfate 300mg qhs")
                  r"\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml)\b|\b(?:od|bd|tds|qds|qid|tid|bid|qhs|nocte|mane|prn|rx)\b)")


@dataclass
class TextModel:
    """Everything compiled from the lexicon data, built once per process."""

    findings: Matcher
    context: ContextRules
    medicines: Matcher
    fuzzy_names: dict[str, str]  # name -> medicine id
    medicine_class: dict[str, str]
    common_words: frozenset[str]
    asked: frozenset[str]
    fuzzy_prefixes: frozenset[str] = frozenset()
    spelling: Mapping[str, str] = field(default_factory=dict)  # typo -> word, from context.yaml
    near_words: Mapping[str, str] = field(default_factory=dict)  # one edit away -> lexicon word ("" if several)
    # Listed typos ("serevant") are already one slip from the name; a word near a typo is two slips away
    # ("sergeant"), so matching one needs a closer score than matching a real name.
    fuzzy_typos: frozenset[str] = frozenset()
    # symptoms and signs (finding categories from the knowledge base): a mention placed in the past
    # ("in 2015 my calf was swollen") is history, not what is happening now
    current_only: frozenset[str] = frozenset()

    @classmethod
    def build(cls, lexicon: Mapping[str, Any], context: Mapping[str, Any], medicines: Mapping[str, Any],
              common_words: Iterable[str] = (), findings: Mapping[str, Any] | None = None) -> TextModel:
        med_patterns = []
        fuzzy: dict[str, str] = {}
        classes: dict[str, str] = {}
        real_names: set[str] = set()
        for med_id, spec in medicines.items():
            classes[med_id] = str(spec.get("class", "none"))
            names = {med_id.replace("_", " "), *spec.get("names", []), *spec.get("misspellings", [])}
            for group in (spec.get("brands") or {}).values():
                names.update(group or [])
            typos = {normalise(str(t)) for t in spec.get("misspellings", [])}
            for name in names:
                text = normalise(str(name)).replace("-", " ").replace("'", "")
                words = [t.text for t in tokenize(text) if t.text.isalnum()]
                if not words:
                    continue
                med_patterns.append(compile_pattern(f"med:{med_id}", " ".join(words)))
                if len(words) == 1 and len(words[0]) >= 5 and words[0].isalpha() and not med_id.endswith(GENERIC):
                    fuzzy.setdefault(words[0], med_id)
                    if normalise(str(name)) not in typos:
                        real_names.add(words[0])
        common = set(common_words)
        for spec in lexicon.values():
            phrases = spec.get("patterns", []) if isinstance(spec, Mapping) else spec or []
            for phrase in phrases:
                for part in phrase.split():
                    common.update(w for alt in part.split("|") for w in alt.split("_") if w.isalpha())
        common -= set(fuzzy)
        asked = frozenset(k for k in lexicon if k.startswith("asked_"))
        spelling = {str(k).lower(): str(v).lower() for k, v in (context.get("spelling") or {}).items()}
        return cls(Matcher(compile_lexicon(lexicon)), ContextRules(context), Matcher(med_patterns), fuzzy,
                   classes, frozenset(common), asked, frozenset(name[:3] for name in fuzzy), spelling,
                   _near_words(lexicon, context, set(fuzzy)), frozenset(set(fuzzy) - real_names),
                   frozenset(k for k, v in (findings or {}).items() if v.get("cat") in CURRENT_ONLY_CATEGORIES))


CURRENT_ONLY_CATEGORIES = ("sign", "symptom")  # not "pattern": a side or muscle named in the past still locates


class TextTooLong(ValueError):
    pass


_SPELL_MIN = 6  # shorter words are too easily one letter away from another real word


def _typing_slips(word: str) -> set[str]:
    """The one-letter slips that are rarely another real word: one of a doubled letter dropped ("swolen",
    "breathles", "netbal") or the g of -ing ("nothin"). Dropping other letters makes real words
    ("brother" -> "bother", "strained" -> "trained"), so those are left to the spelling list."""
    slips = {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}
    if word.endswith("ing"):
        slips.add(word[:-1])
    return slips


def _near_words(lexicon: Mapping[str, Any], context: Mapping[str, Any], medicine_names: set[str]) -> dict[str, str]:
    """Slips of lexicon words (see _typing_slips), each mapped to its word: a lookup is one dictionary probe."""
    words: set[str] = set()
    for spec in [*lexicon.values(), *(context.get(k, []) for k in ("negation_pre", "uncertain_pre", "other_pre"))]:
        phrases = spec.get("patterns", []) if isinstance(spec, Mapping) else spec or []
        for phrase in phrases:
            for part in str(phrase).split():
                words.update(w for a in part.split("|") for w in a.split("_") if w.isalpha() and len(w) >= _SPELL_MIN)
    index: dict[str, str] = {}
    for word in sorted(words - medicine_names):
        for key in _typing_slips(word):
            index[key] = word if index.get(key, word) == word else ""  # "" marks a key two words share
    for word in words:
        index.pop(word, None)  # a real lexicon word is never "corrected" into another
    return index


def _spell(tokens: list[Token], model: TextModel) -> list[Token]:
    """Read common shortenings and near-miss spellings as the words they stand for; offsets stay the person's."""
    out: list[Token] = []
    for token in tokens:
        word = token.text
        fixed = model.spelling.get(word)
        if fixed is None and len(word) >= _SPELL_MIN and word.isalpha() and word not in model.common_words \
                and word not in model.fuzzy_names:
            # Only a dropped letter ("swolen", "breathles"): a changed letter turns real words into others
            # ("checked" -> "chucked", "weather" -> "whether"), so it is never guessed.
            near = model.near_words.get(word)
            fixed = near if near and near != word else None
        out.append(replace(token, text=fixed) if fixed else token)
    return out


def lookup_medicine(name: str, model: TextModel) -> MedicineUse | None:
    """A medicine from a name given on its own (a form field, a diary entry): no verb of use needed."""
    tokens = tokenize(name)
    hits = sorted(model.medicines.find(tokens), key=lambda m: (m.start, -(m.end - m.start)))
    if hits:
        med_id = hits[0].key[4:]
        return MedicineUse(id=med_id, drug_class=model.medicine_class.get(med_id, "none"), mentioned=name,
                           match="structured")
    words = [t.text for t in tokens if t.text.isalpha() and len(t.text) >= 5]
    if words and model.fuzzy_names:
        from rapidfuzz import fuzz, process

        best = process.extractOne(words[0], list(model.fuzzy_names), scorer=fuzz.ratio, score_cutoff=84)
        if best and _close_enough(best[0], best[1], model):
            med_id = model.fuzzy_names[best[0]]
            return MedicineUse(id=med_id, drug_class=model.medicine_class.get(med_id, "none"), mentioned=name,
                               match="fuzzy")
    return None


NAME_CUTOFF, TYPO_CUTOFF = 84, 90  # rapidfuzz ratio: a name, or a listed typo of one


def _close_enough(name: str, score: float, model: TextModel) -> bool:
    return score >= (TYPO_CUTOFF if name in model.fuzzy_typos else NAME_CUTOFF)


@dataclass(frozen=True)
class _Scope:
    """What every assertion check in one text shares, computed once."""

    triggers: Mapping[int, set[str]]
    subject_words: frozenset[str]
    covered: frozenset[int]
    questions: list[bool]
    past: list[bool] = field(default_factory=list)  # per sentence: set in the past ("in 2015", "years ago")
    # tokens of clauses about the writer, not the patient ("I'm 38 and get cramps at the gym" when the
    # writer asks about their dad)
    foreign: frozenset[int] = frozenset()


def understand(text: str, model: TextModel) -> Profile:
    if len(text) > MAX_TEXT:
        raise TextTooLong(f"the description is {len(text):,} characters; the limit is {MAX_TEXT:,}")
    profile = Profile(text=text)
    lowered = normalise(text)
    tokens = _spell(tokenize(text), model)
    subject_words = _subject(lowered, profile)
    _age_and_sex(lowered, profile)
    _restore_case(text, lowered, profile)
    triggers = model.context.triggers(tokens)
    matches = model.findings.find(tokens)
    explained = frozenset(i for m in matches for i in range(m.start, m.end))
    scope = _Scope(triggers, subject_words, explained, question_sentences(tokens), model.context.past_sentences(tokens),
                   _foreign_tokens(tokens, profile, subject_words, bool(_SELF_CUE.search(lowered))))
    for match in matches:
        _record(match, tokens, text, model, scope, profile)
    _pregnancy(lowered, profile)
    _medicines(text, tokens, model, scope, profile)
    _measures(lowered, profile)
    _derived(profile)
    return profile


_FIRST_PERSON = frozenset({"i", "im", "ive", "id", "ill", "me"})
_WRITER_VERBS = frozenset({"am", "get", "got", "have", "had", "take", "took", "use", "also", "myself", "too",
                           "suffer", "used", "was", "m", "ve"}) | frozenset(str(n) for n in range(10, 100))
_OBSERVING = frozenset({"look", "looked", "noticed", "notice", "saw", "see", "seen", "checked", "check", "felt",
                        "feel", "think", "thought", "measured", "watched", "found", "asked", "called", "rang"})


def _foreign_tokens(tokens: Sequence[Token], profile: Profile, subject_words: frozenset[str], mixed: bool) -> frozenset[int]:
    """Tokens of clauses about the writer when the writer asks about someone else: a clause that opens with
    "I" and a verb of having ("I'm 38 and get cramps at the gym", "I had a stent put in") and never names
    the patient. "I had a look: the shin is red" or "I noticed ..." report what the writer saw of the patient."""
    if not tokens or (profile.subject == "self" and not mixed):
        return frozenset()
    clauses: list[list[int]] = [[]]
    for k, token in enumerate(tokens):
        if token.text in _CLAUSE_BREAKS:
            clauses.append([])
        else:
            clauses[-1].append(k)
    foreign: set[int] = set()
    for clause in clauses:
        w = [tokens[k].text for k in clause]
        if profile.subject == "self":
            # the writer said the message is about them ("it's me asking"): clauses about him or her are not
            if any(x in _THIRD_PERSON for x in w) and not any(x in _FIRST_PERSON or x in ("my", "mine") for x in w):
                foreign.update(clause)
        elif (len(w) > 1 and w[0] in _FIRST_PERSON and w[1] in _WRITER_VERBS
                and not any(x in subject_words or x in _OBSERVING for x in w)):
            foreign.update(clause)
    return frozenset(foreign)


_CLAUSE_BREAKS = SENTENCE_END | {",", ":", "(", ")"}
_THIRD_PERSON = frozenset({"he", "she", "hes", "shes", "his", "her", "him", "hers"})


def _restore_case(text: str, lowered: str, profile: Profile) -> None:
    """Quote evidence in the person's own spelling ("I'm 67", not "i'm 67")."""
    if len(text) != len(lowered):
        return
    for key, value in list(profile.evidence.items()):
        index = lowered.find(value)
        if index >= 0:
            profile.evidence[key] = text[index : index + len(value)]


_CHILD_BY_AGE = re.compile(r"\b(?:my|our)\s+(?P<age>\d{1,2})\s*(?:-\s*)?(?:year|yr)s?[\s-]*old\b(?:\s+(?P<rel>son|daughter|boy|girl|child|kid|stepson|stepdaughter)\b)?(?!\s+(?:wife|husband|partner|mum|mom|dad|mother|father))")


# "My little girl is six": a child's age in words (one is left out: "is one of those").
_CHILD_AGE_WORDS = re.compile(
    r"\b(?:my|our)\s+(?:little\s+|eldest\s+|youngest\s+|oldest\s+)?(?P<rel>son|daughter|boy|girl|child|kid)\s*,?\s*(?:is|aged?|who is)\s+"
    r"(?P<age>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\b"
    r"(?!\s*(?:weeks?|months?|days?))"
)


# "My husband is on dialysis ... but this time I'm asking about me": the writer is the patient.
_SELF_CUE = re.compile(r"\b(?:asking (?:about|for) (?:me|myself)|(?:it'?s|it is) me (?:asking|writing)|this (?:one )?is (?:about|for) me|"
                       r"(?:asking|writing) (?:about|for) my ?self|about me,? not (?:him|her|them))\b")


def _subject(lowered: str, profile: Profile) -> frozenset[str]:
    if _SELF_CUE.search(lowered):
        return frozenset()
    child = _CHILD_BY_AGE.search(lowered[:400]) or _CHILD_AGE_WORDS.search(lowered[:400])
    child_age = numbers.word_to_number(child["age"]) if child else None
    if child and child_age is not None and child_age < 18:
        profile.subject = "child"
        profile.evidence["subject"] = child.group()
        _set_age(profile, child_age, child.group())
        sex = RELATIONS[child["rel"]][1] if child["rel"] else None
        if sex:
            profile.sex = sex  # type: ignore[assignment]
            profile.evidence["sex"] = child["rel"]
        pronouns = {"he", "his", "him", "hes"} if sex == "male" else {"she", "her", "hers", "shes"} if sex else {
            "he", "his", "him", "hes", "she", "her", "hers", "shes"}
        return frozenset({*pronouns, *([child["rel"]] if child["rel"] else [])})
    for pattern in _SUBJECT:
        m = pattern.search(lowered[:400])
        if m:
            rel = m["rel"]
            kind, sex = RELATIONS[rel]
            profile.subject = kind  # type: ignore[assignment]
            profile.evidence["subject"] = m.group().strip(" .,")
            if sex:
                profile.sex = sex  # type: ignore[assignment]
                profile.evidence["sex"] = rel
            if "age" in m.groupdict() and m["age"]:
                _set_age(profile, float(m["age"]), m.group().strip(" .,"))
            pronouns = {"he", "his", "him", "hes"} if sex == "male" else {"she", "her", "hers", "shes"}
            return frozenset({rel, *pronouns})
    return frozenset()


def _set_age(profile: Profile, age: float, evidence: str) -> None:
    if profile.age is not None:
        return
    if 0 < age <= 120:
        profile.age = age
        profile.evidence["age"] = evidence
    else:
        profile.notes.append(f"I could not use the age {age:g}: it is not a possible age, so I left it out.")


def _age_and_sex(lowered: str, profile: Profile) -> None:
    for pattern in _AGE:
        m = pattern.search(lowered)
        if not m:
            continue
        if profile.subject != "self" and re.match(r"\W*(?:i'?m|i am|im)\b", m.group()):
            continue  # "Asking about my dad, he's 69 ... I'm 38": the writer's age, not the patient's
        raw = m["age"]
        value = numbers.word_to_number(raw)
        if value is None:
            continue
        if "sex" in m.groupdict() and m["sex"] and value < 10:
            continue  # "5 m" is more likely metres or minutes than a 5-year-old
        _set_age(profile, value, m.group().strip(" ,.;("))
        if profile.sex is None and "sex" in m.groupdict() and m["sex"]:
            profile.sex = "female" if m["sex"][0] in "fwl" else "male"
            profile.evidence["sex"] = m.group().strip(" ,.;(")
        break
    if profile.age is None:
        m = _DECADE.search(lowered)
        if m:
            _set_age(profile, float(numbers.DECADES[m["dec"]]), m.group())
    if profile.sex is None:
        female, male = _FEMALE.search(lowered), _MALE.search(lowered)
        if female and not male:
            profile.sex = "female"
            profile.evidence["sex"] = female.group()
        elif male and not female:
            profile.sex = "male"
            profile.evidence["sex"] = male.group()


def _record(match: Match, tokens: Sequence[Token], text: str, model: TextModel, scope: _Scope,
            profile: Profile) -> None:
    key = match.key
    start, end = tokens[match.start].start, tokens[match.end - 1].end
    evidence = text[start:end]
    if key.startswith("no:"):
        profile.add(Finding(key[3:], "absent", evidence, start, end))
        return
    if key in model.asked:
        profile.add(Finding(key, "present", evidence, start, end))
        return
    if match.start in scope.foreign:
        return
    assertion = model.context.assess(tokens, match, scope.triggers, scope.subject_words, scope.covered,
                                     scope.questions)
    if assertion.other:
        return
    if key in model.current_only and scope.past and scope.past[tokens[match.start].sentence]:
        return  # "five years ago my wee went dark": history, not a sign now
    if assertion.negated:
        status = "absent"
    elif assertion.uncertain or assertion.question:
        status = "uncertain"
    else:
        status = "present"
    profile.add(Finding(key, status, evidence, start, end))  # type: ignore[arg-type]


def _pregnancy(lowered: str, profile: Profile) -> None:
    found = profile.findings.get("pregnancy_words")
    if found is None:
        return
    if found.status == "absent":
        profile.pregnant = False
        return
    if found.status != "present":
        return
    profile.pregnant = True
    profile.sex = "female"
    profile.evidence["pregnancy"] = found.evidence
    m = _WEEKS.search(lowered)
    if m and 4 <= int(m["w"]) <= 42:
        profile.pregnancy_weeks = float(m["w"])
        profile.evidence["pregnancy_weeks"] = m.group()
        return
    months = _MONTHS_PREGNANT.search(lowered)
    if months and 1 <= int(months["m"]) <= 9:
        profile.pregnancy_weeks = round(float(months["m"]) * 4.35)  # "7 months pregnant": about 30 weeks
        profile.evidence["pregnancy_weeks"] = months.group()
        return
    t = _TRIMESTER.search(lowered)
    if t:
        profile.pregnancy_weeks = {"f": 8.0, "1": 8.0, "s": 20.0, "2": 20.0, "t": 32.0, "3": 32.0}[t["t"][0]]
        profile.evidence["pregnancy_weeks"] = t.group()


def _medicines(text: str, tokens: Sequence[Token], model: TextModel, scope: _Scope, profile: Profile) -> None:
    explained = scope.covered
    hits: list[tuple[int, int, str, str]] = []  # start token, end token, id, how
    for m in model.medicines.find(tokens):
        hits.append((m.start, m.end, m.key[4:], "exact"))
    taken = {i for s, e, _, _ in hits for i in range(s, e)}
    # Only words that start like some medicine are worth a fuzzy look; this also spares most texts the
    # rapidfuzz import at start-up.
    candidates = [i for i, t in enumerate(tokens)
                  if i not in taken and len(t.text) >= 5 and t.text.isalpha()
                  and t.text not in model.common_words and i not in explained
                  and t.text[:3] in model.fuzzy_prefixes]
    if candidates and model.fuzzy_names:
        from rapidfuzz import fuzz, process  # imported here: only text with unknown words needs it

        names = list(model.fuzzy_names)
        for i in candidates:
            word = tokens[i].text
            best = process.extractOne(word, names, scorer=fuzz.ratio, score_cutoff=84)
            if best and best[0][:2] == word[:2] and _close_enough(best[0], best[1], model):
                hits.append((i, i + 1, model.fuzzy_names[best[0]], "fuzzy"))
    hits.extend(_split_names(tokens, model, taken | explained))
    # longest, earliest hit wins where two overlap ("co-amilozide" over "amilozide")
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    used: set[int] = set()
    seen: dict[str, MedicineUse] = {}
    medicine_tokens = frozenset(i for hs, he, _, _ in hits for i in range(hs, he))  # asides naming another
    for s, e, med_id, how in hits:
        if any(i in used for i in range(s, e)):
            continue
        used.update(range(s, e))
        if s in scope.foreign:
            continue
        assertion = model.context.assess(tokens, Match(med_id, s, e, ""), scope.triggers, scope.subject_words,
                                         scope.covered, scope.questions)
        if assertion.other:
            continue
        drug_class = model.medicine_class.get(med_id, "none")
        if drug_class in REMEDY_CLASSES and not med_id.endswith(GENERIC) and not _USE.search(_sentence_text(text, tokens, s, e)):
            continue  # "my nan swears by quinine", "a forum said magnesium": mentioned, not taken
        sentence = _sentence_text(text, tokens, s, e)
        if med_id.endswith(GENERIC) and not (_USE.search(sentence) or _START.search(sentence)
                                             or any(t.text in _OWNER for t in tokens[max(0, s - 2) : s])):
            continue  # "I read statins cause cramps": the kind is talked about, not taken
        if assertion.negated and med_id.endswith(GENERIC):
            continue  # "not on any statins" says what is not taken, not that one was stopped
        use = _timing(text, tokens, s, e, med_id, drug_class, how, assertion.negated, medicine_tokens)
        if med_id not in seen or (use.change and not seen[med_id].change):
            seen[med_id] = use
    named = {_family(m.drug_class) for k, m in seen.items() if not k.endswith(GENERIC)}
    # "bendroflumethiazide ... should I stop the water tablet?": the bare kind is the named medicine again
    profile.medicines.extend(m for k, m in seen.items()
                             if not (k.endswith(GENERIC) and _family(_generic_class(k, m.drug_class)) in named))


def _split_names(tokens: Sequence[Token], model: TextModel, skip: set[int] | frozenset[int]) -> list[tuple[int, int, str, str]]:
    """A name that dictation heard as short words ("lip it or" = Lipitor, "micro guy non" = Microgynon):
    two or three short words in a row that join into a known name, or one letter from it."""
    short = [len(t.text) <= 5 and t.text.isalpha() and k not in skip for k, t in enumerate(tokens)]
    hits: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(tokens) - 1:
        found = False
        if short[i] and short[i + 1] and tokens[i].text[:3] in model.fuzzy_prefixes:
            for n in (3, 2):
                window = tokens[i : i + n]
                if len(window) < n or not all(short[i : i + n]) or window[-1].sentence != window[0].sentence:
                    continue
                joined = "".join(t.text for t in window)
                if not 7 <= len(joined) <= 14:
                    continue
                med_id = model.fuzzy_names.get(joined)
                if med_id is None and any(t.text not in model.common_words for t in window):
                    from rapidfuzz import fuzz, process

                    best = process.extractOne(joined, list(model.fuzzy_names), scorer=fuzz.ratio, score_cutoff=90)
                    med_id = model.fuzzy_names[best[0]] if best and best[0][:3] == joined[:3] else None
                if med_id is not None:
                    hits.append((i, i + n, med_id, "fuzzy"))
                    i, found = i + n, True
                    break
        if not found:
            i += 1
    return hits


GENERIC = "_unspecified"  # a medicine named only by its kind ("a statin", "water tablets")
# Words just before a medicine's kind that make it the person's own ("on the pill", "only meds = the pill").
_OWNER = frozenset({"my", "his", "her", "their", "our", "the", "use", "uses", "using", "on", "take", "takes", "taking",
                    "meds", "medicines", "medication", "medications", "tablets"})
_DIURETICS = ("loop_diuretic", "thiazide_diuretic", "potassium_sparing_diuretic")


def _generic_class(med_id: str, drug_class: str) -> str:
    return "loop_diuretic" if med_id == "diuretic_unspecified" else drug_class


def _family(drug_class: str) -> str:
    return "diuretic" if drug_class in _DIURETICS else drug_class


def _sentence_bounds(tokens: Sequence[Token], s: int, e: int) -> tuple[int, int]:
    """Token range [lo, hi) of the sentence around tokens s..e."""
    lo = s
    while lo > 0 and tokens[lo - 1].text not in SENTENCE_END:
        lo -= 1
    hi = e
    while hi < len(tokens) and tokens[hi].text not in SENTENCE_END:
        hi += 1
    return lo, hi


def _sentence_text(text: str, tokens: Sequence[Token], s: int, e: int,
                   medicine_tokens: frozenset[int] = frozenset()) -> str:
    """The sentence around tokens s..e, as the timing words that apply to that medicine: a bracketed
    aside is its own clause ("started on bendroflumethiazide (the amlodipine ... was stopped)")."""
    lo, hi = _sentence_bounds(tokens, s, e)
    opened = [i for i in range(lo, s) if tokens[i].text == "("]
    closed = [i for i in range(lo, s) if tokens[i].text == ")"]
    if len(opened) > len(closed):
        # Inside brackets: an aside with timing of its own is its own clause ("(the amlodipine was
        # stopped)"); a bare list ("AKT (isoniazid, rifampicin) 3 weeks ago") takes the sentence's.
        a_lo = opened[-1] + 1
        a_hi = next((i for i in range(e, hi) if tokens[i].text == ")"), hi)
        aside_end = tokens[a_hi].start if a_hi < len(tokens) else len(text)
        aside = normalise(text[tokens[a_lo].start : aside_end])
        if any(p.search(aside) for p in (_START, _STOPPED, _INCREASE, _DECREASE, _AGO, _FOR)):
            return aside
        if _OWN_CLAUSE.search(aside):  # "(I'm diabetic, on metformin)": a clause of its own, with no timing
            return aside
        s, e = opened[-1], a_hi + 1  # treat the whole aside as the medicine's place in the sentence
    end = tokens[hi].end if hi < len(tokens) else len(text)
    if not any(tokens[i].text == "(" for i in range(lo, hi)):
        return normalise(text[tokens[lo].start : end]) if lo < len(tokens) else ""
    # drop the asides that do not hold the medicine
    parts: list[str] = []
    depth, cursor = 0, tokens[lo].start
    for i in range(lo, hi):
        if s <= i < e:
            continue
        if tokens[i].text == "(":
            close = next((k for k in range(i + 1, hi) if tokens[k].text == ")"), hi)
            inside = text[tokens[i].end : tokens[close].start] if close < hi else ""
            if depth == 0 and close < hi and (_BARE_DURATION.match(inside) or (
                    i >= e and not any(tokens[k].text == "(" for k in range(e, i))
                    and close - i <= 9 and not any(k in medicine_tokens for k in range(i + 1, close))
                    and any(p.search(normalise(inside)) for p in (_START, _INCREASE, _DECREASE, _AGO)))):
                # "bendroflumethiazide 2.5mg (8 yrs)", "ADALAT LA 30mg (added 6 weeks ago)": the first
                # aside after the medicine, naming no other one, is this medicine's own timing
                continue
            if depth == 0:
                parts.append(text[cursor : tokens[i].start])
            depth += 1
        elif tokens[i].text == ")" and depth:
            depth -= 1
            if depth == 0:
                cursor = tokens[i].end
    if depth == 0:
        parts.append(text[cursor:end])
    return normalise(" ".join(parts))


def _list_item(text: str, tokens: Sequence[Token], s: int, e: int) -> str | None:
    """In a list of dosed medicines ("Synthroid 100mcg od, HCTZ 25mg od, Crestor 20mg od started 6/52
    ago"), the comma-separated item holding this medicine; None when the sentence is not such a list."""
    lo, hi = _sentence_bounds(tokens, s, e)
    cuts = [i for i in range(lo, hi) if tokens[i].text in (",", ";")]
    if not cuts:
        return None
    bounds = [lo, *cuts, hi]
    items = []
    for a, b in pairwise(bounds):
        start = a if a == lo else a + 1
        if start < b:
            items.append((start, b, normalise(text[tokens[start].start : tokens[b - 1].end])))
    dosed = [item for item in items if _DOSE.search(item[2])]
    mine = next((item for item in items if item[0] <= s < item[1]), None)
    if mine is None or len(dosed) < 2 or mine not in dosed:
        return None
    return mine[2]


def _timing(text: str, tokens: Sequence[Token], s: int, e: int, med_id: str, drug_class: str, how: str,
            negated: bool, medicine_tokens: frozenset[int] = frozenset()) -> MedicineUse:
    sentence = _list_item(text, tokens, s, e) or _sentence_text(text, tokens, s, e, medicine_tokens)
    mentioned = text[tokens[s].start : tokens[e - 1].end]
    dose_match = _DOSE.search(sentence)
    change: str | None = None
    days: float | None = None
    question = sentence.rstrip().endswith("?")
    if _INCREASE.search(sentence):
        change = "increased"
    elif _STOPPED.search(sentence) and not question and not negated:
        change = "stopped"
    elif _START.search(sentence):
        change = "started"
    elif _DECREASE.search(sentence):
        change = "decreased"
    if change is None and all(s <= i < e for i in medicine_tokens):
        # "... chlorthalidone 12.5mg since 2021. On 2 May it was doubled": the next sentence's "it" is
        # this medicine when no other is named.
        follow = _next_sentence(text, tokens, e)
        if _REFERS_BACK.search(follow):
            for pattern, kind in ((_INCREASE, "increased"), (_STOPPED, "stopped"), (_DECREASE, "decreased")):
                if pattern.search(follow) and not (kind == "stopped" and (negated or follow.rstrip().endswith("?"))):
                    change, sentence = kind, f"{follow} {sentence}"
                    break
    ago = _AGO.search(sentence)
    slash = _SLASH_AGO.search(sentence)
    if ago:
        days = _days(ago["n"], ago["u"])
    elif slash:  # clinical shorthand: 3/7 days, 6/52 weeks, 2/12 months
        days = float(slash["n"] or slash["n2"]) * {"7": 1.0, "52": 7.0, "12": 30.4}[slash["d"] or slash["d2"]]
        if change is None:
            change = "started"
    else:
        for phrase, value in _RELATIVE.items():
            if re.search(rf"\b{phrase}\b", sentence):
                days = float(value)
                break
        duration = _FOR.search(sentence)
        if days is None and duration:
            days = _days(duration["n"], duration["u"])
            if change is None:
                change = "started"  # "on it for 4 months": the start was that long ago
        if days is None and change in (None, "started") and _YEARS.search(sentence):
            days, change = 730.0, "started"  # "been the same for years": at least a couple of years
    status = "stopped" if change == "stopped" else "current"
    if negated and change is None:
        status = "stopped"  # "not on lasix any more"
    return MedicineUse(
        id=med_id, drug_class=drug_class, mentioned=mentioned, status=status,  # type: ignore[arg-type]
        change=change, days_since_change=days,  # type: ignore[arg-type]
        dose=dose_match.group() if dose_match else None, match=how,  # type: ignore[arg-type]
    )


_REFERS_BACK = re.compile(r"^\W*(?:[\w ,]{0,25}\b)?(?:it|the dose|the tablets?|this|that)\b(?:\s+\w+){0,2}\s+(?:was|got|has been|is|went)\b")


def _next_sentence(text: str, tokens: Sequence[Token], e: int) -> str:
    """The sentence after the one holding tokens ..e (lower-cased), or "" at the end."""
    _, hi = _sentence_bounds(tokens, e - 1, e)
    if hi + 1 >= len(tokens):
        return ""
    lo2, hi2 = _sentence_bounds(tokens, hi + 1, hi + 2)
    return normalise(text[tokens[lo2].start : tokens[hi2 - 1].end])


def _days(n: str, unit: str) -> float | None:
    value = numbers.word_to_number(n)
    if value is None:
        return None
    return value * _UNIT_DAYS[unit[0]]


_CLAUSE = re.compile(r"[^,;:.!?()\n]+")
_CRAMP_WORD = re.compile(r"\b(?:cramp\w*|spasm\w*|twitch\w*|charley|seiz\w*|lock\w*|knot\w*|it|they|them|episodes?|attacks?)\b")


def _without_dosing(lowered: str, profile: Profile) -> str:
    """The text with medicine-list clauses blanked, so "Adcal-D3 twice a day" is not read as how often the
    cramps come; a clause that also talks about the cramps is kept."""
    names = [m.mentioned.lower() for m in profile.medicines if m.mentioned]
    if not names:
        return lowered
    out = list(lowered)
    for clause in _CLAUSE.finditer(lowered):
        part = clause.group()
        if any(name in part for name in names) and not _CRAMP_WORD.search(part):
            out[clause.start() : clause.end()] = " " * len(part)
    return "".join(out)


def _measures(lowered: str, profile: Profile) -> None:
    undosed = _without_dosing(lowered, profile)
    for name, fn in (("cramps_per_week", lambda _: numbers.cramps_per_week(undosed)), ("cramp_minutes", numbers.cramp_minutes),
                     ("alcohol_units_week", numbers.alcohol_units_week), ("weight_kg", numbers.weight_kg),
                     ("heart_rate", numbers.heart_rate)):
        value = fn(lowered)
        if value is not None:
            profile.measures[name] = round(value, 2)
    body, weather = numbers.temperatures(lowered)
    if body is not None:
        profile.measures["temperature_c"] = body
    if weather is not None:
        profile.measures["weather_c"] = weather
        if weather >= 27:
            profile.add(Finding("hot_weather", "present", f"{weather:g} °C"))
    bp = numbers.blood_pressure(lowered)
    if bp is not None:
        profile.measures["systolic_bp"], profile.measures["diastolic_bp"] = bp
        if bp[0] < 90:
            profile.add(Finding("low_blood_pressure", "present", f"blood pressure {bp[0]:g}/{bp[1]:g}"))


_ONE_CALF = re.compile(r"\b(?:my|the|his|her|that|this|inner|outer|whole)\s+calf\b")
_BOTH_CALVES = re.compile(r"\bcalves\b|\bboth\b|\blegs\b")


def _derived(profile: Profile) -> None:
    """Findings that follow from others: sidedness, heavy drinking by units, fever by temperature."""
    has = profile.has
    if has("legs_look_same") and not has("leg_swelling_one"):
        profile.findings["one_sided"] = Finding("one_sided", "absent", profile.findings["legs_look_same"].evidence)
    elif has("leg_swelling_one") or has("one_leg_only"):
        profile.add(Finding("one_sided", "present", "one leg"))
    elif (has("side_left") != has("side_right")) and not has("side_both"):
        profile.add(Finding("one_sided", "present", "left" if has("side_left") else "right"))
    elif (has("muscle_calf") and not has("side_both") and _ONE_CALF.search(profile.text.lower())
          and not _BOTH_CALVES.search(profile.text.lower())
          and any(has(f) for f in ("leg_swelling", "leg_warm", "leg_red", "leg_discoloured"))):
        # "the calf is swollen and a bruise is coming out": one calf with a sign, though no side is named
        profile.add(Finding("one_sided", "present", "one calf"))
    units = profile.measures.get("alcohol_units_week")
    if units is not None and units > 14:
        profile.add(Finding("alcohol_heavy", "present", f"{units:g} units a week"))
    temp = profile.measures.get("temperature_c")
    if temp is not None and temp >= 38:
        profile.add(Finding("fever", "present", f"{temp:g} °C"))
    if temp is not None and temp >= 39.4:
        profile.add(Finding("high_temperature_words", "present", f"{temp:g} °C"))
    per_week = profile.measures.get("cramps_per_week")
    if (per_week is not None and per_week >= 5) or (has("frequent_word") and not numbers.frequency_fell(profile.text.lower())):
        profile.add(Finding("frequent", "present", "frequent cramps"))
    if profile.medicines:
        current = [m for m in profile.medicines if m.status == "current"]
        if current:
            profile.add(Finding("no_medicines", "absent", current[0].mentioned))


# Short words of everyday English (the lexicon and common-word list hold the longer ones).
_ENGLISH_SHORT = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "get", "got", "had", "has", "have", "he", "her", "him", "his", "how", "i", "if", "im", "in", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the", "them", "then", "they", "this", "to", "up", "us", "was", "we", "were", "what", "when", "who", "why", "will", "with", "you", "your", "leg", "legs", "feet", "foot", "calf", "toes", "pain"]
)


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


class ResultTimes(NamedTuple):
    """What dates lab results in a text (pipeline._date_results reads it)."""

    words: list[tuple[int, str]]  # (offset, "past" | "present") of each dating phrase
    sentences: list[tuple[int, int]]  # character span of each sentence
    old_documents: list[tuple[int, int]]  # spans under an old document's heading, to the next blank line


def result_times(text: str, model: TextModel) -> ResultTimes:
    tokens = tokenize(text)
    lowered = normalise(text)
    blocks = []
    for heading in model.context.old_heading.finditer(lowered):
        gap = _BLANK_LINE.search(lowered, heading.end())
        blocks.append((heading.start(), gap.start() if gap else heading.end()))
    bounds: dict[int, list[int]] = {}
    for token in tokens:
        span = bounds.setdefault(token.sentence, [token.start, token.end])
        span[1] = token.end
    return ResultTimes(model.context.result_times(tokens), [(lo, hi) for lo, hi in bounds.values()], blocks)


def nothing_found(text: str, profile: Profile, model: TextModel) -> list[str]:
    """A plain note when nothing at all was understood, so the person knows why the answer is general."""
    if profile.findings or profile.medicines or profile.labs or profile.age is not None or profile.pregnant:
        return []
    letters = [ch for ch in text if ch.isalpha()]
    words = [t.text for t in tokenize(text) if t.text.isalpha()]
    known = sum(1 for w in words if w in _ENGLISH_SHORT or w in model.common_words)
    foreign_script = bool(letters) and sum(1 for ch in letters if not ch.isascii()) > len(letters) / 2
    if foreign_script or (len(words) >= 4 and known < 0.3 * len(words)):
        return ["I could not find anything I understand in this text. Crampwise reads English for now: "
                "please describe the cramps in English (your age, medicines, when they happen and how long they last)."]
    if not words:
        return ["I could not find any words in this text: please describe the cramps in your own words."]
    return []  # an English question with no details: the general answer and its offer to tailor it
