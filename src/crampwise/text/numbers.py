"""Numbers people write in words, and quantities with units (durations, frequencies...)."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "couple": 2, "few": 3,
    "several": 4, "once": 1, "twice": 2, "half": 0.5,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90, "hundred": 100}
DECADES = {"teens": 15, "twenties": 25, "thirties": 35, "forties": 45, "fifties": 55, "sixties": 65,
           "seventies": 75, "eighties": 85, "nineties": 95, "20s": 25, "30s": 35, "40s": 45, "50s": 55,
           "60s": 65, "70s": 75, "80s": 85, "90s": 95}
WORD_NUMBER = (
    r"(?:\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|a couple of|a couple|couple of|a few|few|several|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|once|twice|an?|half an?)"
)


def word_to_number(text: str) -> float | None:
    """'sixty-seven' -> 67, 'a couple of' -> 2, '3.5' -> 3.5; None when it is not a number."""
    cleaned = text.strip().lower().replace("-", " ")
    cleaned = re.sub(r"\b(of|a|an)\b$", "", cleaned).strip() if cleaned not in ("a", "an") else cleaned
    if cleaned.startswith(("a ", "an ")):
        cleaned = cleaned.split(" ", 1)[1]  # "a couple" is 2, not 1 + 2
    try:
        return float(cleaned.replace(",", ""))
    except ValueError:
        pass
    total = 0.0
    seen = False
    for word in cleaned.split():
        if word in ("a", "an") and seen:
            continue
        if word in _TENS:
            total += _TENS[word]
            seen = True
        elif word in _UNITS:
            total += _UNITS[word]
            seen = True
        elif word in ("of",):
            continue
        else:
            return None
    return total if seen else None


_DURATION = re.compile(
    rf"\b(?:last(?:s|ed|ing)?|for|about|maybe|around|roughly|approx|each|up to|been|over|now|already|going for|went on for)\s+(?:about\s+|maybe\s+|around\s+|a good\s+|a solid\s+|a full\s+|at least\s+|well over\s+|nearly\s+|almost\s+)?"
    rf"(?P<n>{WORD_NUMBER})(?:\s*(?:-|to|or)\s*(?P<n2>\d+))?\s*(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?)\b"
)
# "25 min now", "40 mins so far": how long the cramp has lasted up to now
_DURATION_NOW = re.compile(
    rf"\b(?P<n>{WORD_NUMBER})(?:\s*(?:-|to|or)\s*(?P<n2>\d+))?\s*(?P<unit>minutes?|mins?|hours?|hrs?)\s+(?:now|so far|and counting|already)\b"
)
_DURATION_EACH = re.compile(
    rf"\b(?P<n>{WORD_NUMBER})(?:\s*(?:-|to|or)\s*(?P<n2>\d+))?\s*(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?)"
    rf"\s+(?:each|at a time|long)\b"
)


# A duration right after one of these describes the activity, not a cramp ("playing 2 hours at a time").
_ACTIVITY_BEFORE = re.compile(
    r"\b(?:play(?:s|ed|ing)?|walk(?:s|ed|ing)?|run(?:s|ning)?|ran|sit(?:s|ting)?|sat|stand(?:s|ing)?|stood|driv(?:e|es|ing)|"
    r"drove|fl(?:y|ew|ight)|train(?:s|ed|ing)?|session|shifts?|work(?:s|ed|ing)?|dialysis|gym|class|match|game|sleep(?:s|ing)?|"
    r"slept|cycl(?:e|ed|ing)|swim(?:s|ming)?|swam|exercis(?:e|ed|ing)|practi[cs](?:e|ed|ing)|washing|queu(?:e|ing)|"
    r"marathon|race|hike|trek|ride|asleep|spent|spend|spending|bike|exercise bike|stretch(?:es|ing)?|done it|doing it|do it|got back|flew|flight|journey|trip|travel(?:led|ling)?)[^\w.!?]+(?P<between>(?:[\w-]+[^\w.!?]+){0,8})$"
)
_CRAMP_BETWEEN = re.compile(r"\b(?:cramp\w*|spasm\w*|knot\w*|seiz\w*|lock\w*|charley|it|they|pain)\b")
_PART_OF = re.compile(r"\s+(?:later\b|after (?:onset|it (?:started|began|came on))\b|(?:of|into)\b(?!\s+(?:agony|pain|hell|torture|misery|screaming|pure))|(?:after|before|later)\s+(?:bedtime|going|falling|lying|i|he|she|we|the|a|my|his|her)\b)")
# Cramps that came and went: a duration then covers the whole spell, not one cramp.
_INTERMITTENT = re.compile(r"\b(?:on and off|off and on|kept coming back|keep coming back|comes? and goes?|came and went|"
                           r"again and again|every few minutes|on-and-off)\b")


_STILL = re.compile(r"\b(?:still|not|hasnt|hasn't|havent|haven't|wont|won't|been|even)\b")


# "About 40 minutes ago it went into a cramp and it still hasn't let go": the cramp has lasted that long.
_ONGOING = re.compile(r"\b(?:still|has(?:n't|nt| not) (?:let go|gone|stopped|eased)|won'?t (?:let go|go|stop|ease)|not (?:let go|gone|stopped|eased))\b")


def _sentence_after(text: str, start: int) -> str:
    end = min((i for i in (text.find(c, start) for c in ".!?\n") if i >= 0), default=len(text))
    return text[start:end]


# "Woke her at 05:30 and is still present at 06:15": two clock times with the cramp still there between.
_CLOCK_SPAN = re.compile(r"\b(?:at\s+)?(?P<h1>[01]?\d|2[0-3])[:.](?P<m1>[0-5]\d)\b(?P<mid>[^.!?\n]{0,80}?)\b(?:at|by|now|till|until)\s+(?P<h2>[01]?\d|2[0-3])[:.](?P<m2>[0-5]\d)\b")


def cramp_minutes(text: str) -> float | None:
    """The longest single-cramp duration mentioned ('lasted about 5 minutes', 'few mins each')."""
    best: float | None = None
    for m in _CLOCK_SPAN.finditer(text):
        if _ONGOING.search(m["mid"]):
            span = float((int(m["h2"]) * 60 + int(m["m2"]) - int(m["h1"]) * 60 - int(m["m1"])) % (24 * 60))
            if span > 0:
                best = span if best is None else max(best, span)
    for pattern in (_DURATION, _DURATION_EACH, _DURATION_NOW):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            activity = _ACTIVITY_BEFORE.search(text[max(0, m.start() - 80) : m.start()])
            # "sat cross-legged on the floor at a retreat for an hour": the sitting lasted that long;
            # "sat down and my calf cramped for 20 minutes": the cramp did
            if activity and not _CRAMP_BETWEEN.search(activity["between"]):
                continue
            if _INTERMITTENT.search(text[max(0, m.start() - 200) : m.end()]):
                continue
            if before.rstrip().endswith("after") and not _STILL.search(before[-40:]):
                continue  # "cramp on the climbs after about 3 hours": when it came on, not how long it lasted
            if text[m.end() : m.end() + 5].strip().startswith("ago") and not _ONGOING.search(_sentence_after(text, m.end())):
                continue  # "pills about 5 hours ago": when something happened, not how long a cramp lasted
            if _PART_OF.match(text, m.end()) or (m.group().startswith("last") and before.endswith(("the ", "final "))):
                continue  # "the last 15 min of a 3k set", "20 minutes of stretching": part of something else
            n = word_to_number(m["n"])
            if n is None:
                continue
            if m["n2"]:
                n = float(m["n2"])
            unit = m["unit"]
            minutes = n / 60 if unit.startswith("s") else n * 60 if unit.startswith("h") else n
            # "for 2 hours" after exercise or "for 3 days" describe an illness course, not one cramp;
            # the lexicon's cramp_persistent covers those. Only keep cramp-sized durations here.
            if minutes <= 24 * 60:
                best = minutes if best is None else max(best, minutes)
    return best


_FREQ = re.compile(
    rf"\b(?P<n>{WORD_NUMBER})(?![\d.])\s*(?:(?:-|to|or)\s*(?P<n2>\d+|one|two|three|four|five|six|seven|twice))?\s*"
    rf"(?:times?|x|nights?|days?|evenings?)?\s*(?:in\s+)?(?:a|per|each|every|/)\s*(?P<per>week|wk|night|nite|day|month|fortnight|year)\b"
)
_NOT_CRAMPS = re.compile(
    r"\b(?:play|plays|playing|train|trains|training|run|runs|running|gym|swim|swims|cycle|cycles|walk|walks|"
    r"drink|drinks|units|dialysis|sessions?|hd|take|takes|taking|tablets?|inhaler|puffs?|doses?|match|matches|"
    r"soccer|football|tennis|netball|rugby|class|classes|work|works|shifts?|throwing up|vomit(?:ing|ed)?|sick|pee(?:ing)?|wee(?:ing)?|"
    r"toilet|loo|meals?|eat(?:ing)?|walks? the dog|dog walks?|leg day|lifts?|lifting|yoga|pilates|spin|"
    r"workouts?|practices?|games?|rides?|gymnastics|dance|dancing|ballet|karate|judo|boxing|climbing|hockey|stretch(?:es|ing)?|"
    r"cricket|basketball|athletics|swimming|lessons?)\b"
)
_CLAUSE_BREAK = re.compile(r"[.,;!?]|\band\b|\bbut\b")
_GET = re.compile(r"\b(?:i|he|she|they|we) (?:get|gets|have|has|had|am getting|'m getting|m getting)\b")
_NAMES_CRAMPS = re.compile(r"\b(?:it|its|it's|they|they're|cramps?|cramping|cramped|ones?|spasms?)\b")
_PER_WEEK = {"week": 1.0, "wk": 1.0, "night": 7.0, "nite": 7.0, "day": 7.0, "month": 0.25, "fortnight": 0.5,
             "year": 1 / 52}
_WORDS_FREQ = [
    (re.compile(r"\b(?:nearly|almost)\s+every\s+(?:night|nite|day|afternoon|morning|evening)\b"), 6.0),
    (re.compile(r"\b(?:every|each)\s+(?:night|nite|evening|day|afternoon|morning)\b|\bnightly\b"), 7.0),
    (re.compile(r"\bmost\s+(?:nights|days|evenings)\b"), 5.0),
    (re.compile(r"\b(?:a\s+few|several|couple\s+of)\s+times\s+a\s+night\b"), 14.0),
    (re.compile(r"\btwice\s+a\s+night\b"), 14.0),
    (re.compile(r"\b(?:\d+(?:st|nd|rd|th)?|second|third|fourth|fifth)\s+(?:night|nite)s?\s+(?:running|in a row)\b"), 7.0),
    (re.compile(r"\ba\s+couple\s+of\s+times\s+a\s+week\b"), 2.0),
    (re.compile(r"\bonce\s+or\s+twice\s+a\s+week\b"), 1.5),
    (re.compile(r"\ba\s+few\s+times\s+a\s+week\b"), 3.0),
    (re.compile(r"\ba\s+few\s+times\s+(?:this|a|last)\s+year\b"), 0.1),
]


# "They used to wake me most nights; now it's once a fortnight": when the text tells a change, the rate
# it says is current counts, not the old one.
_NOW = re.compile(r"\b(?:now|these days|nowadays|at the moment|currently|lately|this (?:week|month))\b")
_BEFORE = re.compile(r"\b(?:used to|was getting|were (?:coming|waking)|i was|before (?:that|i|the)|previously|at first|to begin with)\b")


def _sentence_around(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    hi = min((i for i in (text.find(c, end) for c in ".!?\n") if i >= 0), default=len(text))
    return text[lo:hi]


def cramps_per_week(text: str) -> float | None:
    """Cramp frequency as episodes a week, from '2-3 times a week', 'most nights', '3x a week'."""
    found: list[tuple[float, str]] = []  # (rate, "now" | "before" | "")
    for pattern, value in _WORDS_FREQ:
        for m in pattern.finditer(text):
            clause = _CLAUSE_BREAK.split(text[max(0, m.start() - 60) : m.start()])[-1]
            if _NOT_CRAMPS.search(clause):
                continue  # "walks the dog every day": how often something else happens
            found.append((value, _when(text, m.start(), m.end())))
            break
    for m in _FREQ.finditer(text):
        segments = _CLAUSE_BREAK.split(text[max(0, m.start() - 60) : m.start()].split(".")[-1])
        before = segments[-1]
        # "and now it's once a week": this clause names the cramps; "learning to swim, 3x/wk": it does not,
        # so the clause before it says what happens that often
        if not _NAMES_CRAMPS.search(before):
            before = " ".join(segments[-2:])
        # "since I started stretching every night I get maybe one a fortnight": what comes after "I get"
        got = list(_GET.finditer(before))
        if got:
            before = before[got[-1].start() :]
        if _NOT_CRAMPS.search(before):
            continue  # "plays soccer 3x a week", "drink 3 times a week": not the cramps
        n = word_to_number(m["n"])
        if n is None or n > 50:
            continue
        if m["n2"]:
            upper = word_to_number(m["n2"])
            n = (n + upper) / 2 if upper is not None else n
        rate = n * _PER_WEEK[m["per"]]
        if m["per"] in ("night", "nite", "day") and n >= 1 and "times" not in m.group():
            rate = min(rate, 7.0 * n)
        found.append((rate, _when(text, m.start(), m.end())))
    if not found:
        return None
    now = [rate for rate, when in found if when == "now"]
    if now and any(when == "before" for _, when in found):
        return max(now)
    return max(rate for rate, _ in found)


def frequency_fell(text: str) -> bool:
    """The text says the cramps used to come more often than they do now."""
    found = cramps_per_week(text)
    everything = cramps_per_week(_NOW.sub("then", text))
    return found is not None and everything is not None and found < everything


def _when(text: str, start: int, end: int) -> str:
    sentence = _sentence_around(text, start, end)
    if _NOW.search(sentence):
        return "now"
    return "before" if _BEFORE.search(sentence) else ""


_TEMP = re.compile(r"\b(?P<v>\d{2,3}(?:\.\d)?)\s*(?:(?:°|degrees?|deg)\s*(?P<u>c|f|celsius|fahrenheit)?\b|(?P<u2>c|f|celsius|fahrenheit)\b)")
_TEMP_BARE = re.compile(r"\b(?:temp|temperature|thermometer|fever)\b[^.!?\d]{0,20}?(?P<v>\d{2,3}(?:\.\d)?)(?!\s*(?:/|%|mmol|mg|units|hours|days))")
_TEMP_CONTEXT = re.compile(r"\b(?:temp|temperature|thermometer|fever|degrees?|hot|heat|weather|outside|reached|hit|over|above|"
                           r"around|about|was|its|it's|it is|humid|sun|room)\W+(?:\w+\W+){0,2}$")
# "In 31 C sun": what follows a bare "C" or "F" can show it is the weather.
_TEMP_AFTER = re.compile(r"\W*(?:sun|sunshine|heat|weather|outside|day|days|afternoon|temps?|temperatures?|humidity|today)\b")
# "Here temperature is 42°C these days": the weather, not a fever.
_WEATHER_CONTEXT = re.compile(r"\b(?:here|outside|weather|these days|forecast|heat ?wave|in the shade|climate|summer|today's high)\b")
_BODY_CONTEXT = re.compile(r"(?:temp|temperature|thermometer|fever|feverish|reading)\W+(?:\w+\W+){0,4}$")
# "A rectal temp of 104.5°F ... in the shade": whose temperature it is outweighs weather words nearby.
_BODY_OWN = re.compile(r"\b(?:rectal|core|oral|tympanic|ear|armpit|body|his|her|my|their)\s+(?:temp|temperature|thermometer)\W+(?:\w+\W+){0,3}$")


def _celsius(value: float, unit: str | None) -> float:
    if unit and unit.startswith("f"):
        return (value - 32) * 5 / 9
    if unit is None and value >= 90:
        return (value - 32) * 5 / 9
    return value


def temperatures(text: str) -> tuple[float | None, float | None]:
    """(body temperature, weather temperature) in °C from '40.1°C', 'temp 38.9', 'it's been 35°C'."""
    body: float | None = None
    weather: float | None = None
    for m in _TEMP.finditer(text):
        unit = m["u"] or m["u2"]
        value = float(m["v"])
        if m["u2"] and not _TEMP_CONTEXT.search(text[max(0, m.start() - 30) : m.start()]) \
                and not _TEMP_AFTER.match(text, m.end()) and not 93 <= value <= 110:
            continue  # "68F" is an age and a sex unless a temperature is being talked about
        if unit is None and value > 60:
            unit = "f"
        celsius = _celsius(value, unit or "c")
        before = text[max(0, m.start() - 40) : m.start()]
        around = text[max(0, m.start() - 30) : m.end() + 30]
        own = _BODY_OWN.search(before)
        if (own or (_BODY_CONTEXT.search(before) and not _WEATHER_CONTEXT.search(around))) and 34 <= celsius <= 44:
            body = celsius if body is None else max(body, celsius)
        elif 15 <= celsius <= 55:
            weather = celsius if weather is None else max(weather, celsius)
    for m in _TEMP_BARE.finditer(text):
        celsius = _celsius(float(m["v"]), None)
        own = _BODY_OWN.search(text[max(0, m.start() - 40) : m.start()])
        if 34 <= celsius <= 44 and (own or not _WEATHER_CONTEXT.search(text[max(0, m.start() - 30) : m.end() + 30])):
            body = celsius if body is None else max(body, celsius)
    return (round(body, 1) if body is not None else None, round(weather, 1) if weather is not None else None)


def temperature_c(text: str) -> float | None:
    return temperatures(text)[0]


_BP = re.compile(r"\b(?:bp|blood pressure|pressure|(?:bp|blood pressure|pressure|home) (?:machine|monitor|cuff))\b[^.!?\d]{0,25}(?P<sys>\d{2,3})\s*/\s*(?P<dia>\d{2,3})\b")


def blood_pressure(text: str) -> tuple[float, float] | None:
    m = _BP.search(text)
    if not m:
        return None
    systolic, diastolic = float(m["sys"]), float(m["dia"])
    return (systolic, diastolic) if 50 <= systolic <= 260 and 20 <= diastolic <= 160 else None


_UNITS_ALCOHOL = re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s*(?:-\s*\d+\s*)?units?\s*(?:of alcohol\s*)?(?:a|per)\s*(?P<per>week|day)")


def alcohol_units_week(text: str) -> float | None:
    m = _UNITS_ALCOHOL.search(text)
    if not m:
        return None
    return float(m["n"]) * (7 if m["per"] == "day" else 1)


_WEIGHT = re.compile(
    r"\b(?:weigh|weighs|weighing|weight(?: is)?|dry weight(?: is)?)\s*(?:about|around|approx\.?)?\s*"
    r"(?P<v>\d+(?:\.\d+)?)\s*(?P<u>kg|kgs|kilos?|lbs?|pounds?|st|stone)(?:\s*(?P<lb>\d+)\s*(?:lbs?|pounds?)?)?"
)


def weight_kg(text: str) -> float | None:
    m = _WEIGHT.search(text)
    if not m:
        return None
    value = float(m["v"])
    unit = m["u"]
    if unit.startswith(("lb", "pound")):
        kg = value * 0.45359237
    elif unit in ("st", "stone"):
        kg = value * 6.35029318 + (float(m["lb"]) * 0.45359237 if m["lb"] else 0)
    else:
        kg = value
    return round(kg, 1) if 2 <= kg <= 400 else None


_HEART_RATE = re.compile(
    r"\b(?:heart(?:\s*rate)?|pulse|hr|heartbeat)\b[^.!?\d]{0,20}?(?P<v>\d{2,3})\b(?!\s*(?:/|%|mmol|mg|kg|years?|yrs?|mins?|minutes))"
    r"|\b(?P<v2>\d{2,3})\s*(?:bpm|beats a minute|beats per minute)\b"
)


def heart_rate(text: str) -> float | None:
    """Beats a minute from 'pulse 124', 'heart is going 130', 'watch says 124 bpm'."""
    m = _HEART_RATE.search(text)
    if not m:
        return None
    value = float(m["v"] or m["v2"])
    return value if 25 <= value <= 250 else None
