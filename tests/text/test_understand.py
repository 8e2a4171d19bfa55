"""What `understand` reads from text: assertion status (negated, uncertain, someone else's),
medicines, age/sex/subject, and measures. Real lexicons and context triggers, no mocks."""

from __future__ import annotations

import pytest

from crampwise.pipeline import understand
from crampwise.text.numbers import cramp_minutes, cramps_per_week, temperatures, word_to_number


def status(text: str, finding: str) -> str | None:
    found = understand(text).findings.get(finding)
    return found.status if found else None


def bug(reason: str) -> pytest.MarkDecorator:
    """A row that once exposed a product bug (now fixed); kept as a regression test."""
    return pytest.mark.regression(reason)


TERMINATOR_BUG = ("uncertainty scope stops at the terminator words 'its'/'my' (context.yaml terminators), "
                  "so 'not sure if it's swollen' / 'not sure if my calf is swollen' read the swelling as present")
OTHER_BUG = ("other-person trigger 'my mum had' overlaps the finding pattern 'had a dvt|clot' (it starts at "
             "'had'), so ContextRules.assess never sees the trigger before the match: someone else's clot "
             "becomes the person's prior_vte")
LIST_BUG = ("negation is cut at the comma of a 3-item list: 'no swelling, redness or warmth' leaves "
            "leg_warm present (context.py comma rule only lets one list item through)")


# ---------------------------------------------------------------- assertion status
@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("no swelling in my legs", "leg_swelling", "absent"),
        ("my legs are not swollen", "leg_swelling", "absent"),
        ("without any swelling of the leg", "leg_swelling", "absent"),
        ("my calf is swollen", "leg_swelling", "present"),
        ("no swelling but my calf is red", "leg_red", "present"),
        ("no swelling but my calf is red", "leg_swelling", "absent"),
        ("my calf is not red but it is swollen", "leg_swelling", "present"),
        ("my calf is not red but it is swollen", "leg_red", "absent"),
        ("no redness or swelling in my calf", "leg_red", "absent"),
        ("no redness or swelling in my calf", "leg_swelling", "absent"),
        ("no chest pain", "chest_pain", "absent"),
        ("denies chest pain", "chest_pain", "absent"),
        ("I have chest pain", "chest_pain", "present"),
        ("maybe some chest pain", "chest_pain", "uncertain"),
        ("I may have chest pain", "chest_pain", "uncertain"),
        ("I might have some swelling in my calf", "leg_swelling", "uncertain"),
        ("is my calf swollen?", "leg_swelling", "uncertain"),
        ("my calf is swollen, I think", "leg_swelling", "uncertain"),
        ("I have diabetes", "diabetes", "present"),
        ("I do not have diabetes", "diabetes", "absent"),
        ("my dad has diabetes", "diabetes", None),
        ("family history of diabetes", "diabetes", None),
        ("my mum has kidney disease and I get cramps", "kidney_disease", None),
        ("I had a clot two years ago", "prior_vte", "present"),
        pytest.param("not sure if it's swollen", "leg_swelling", "uncertain", marks=bug(TERMINATOR_BUG)),
        pytest.param("not sure if my calf is swollen", "leg_swelling", "uncertain", marks=bug(TERMINATOR_BUG)),
        pytest.param("my mum had a DVT", "prior_vte", None, marks=bug(OTHER_BUG)),
        pytest.param("my friend had a clot", "prior_vte", None, marks=bug(OTHER_BUG)),
        pytest.param("no swelling, redness or warmth in my calf", "leg_warm", "absent", marks=bug(LIST_BUG)),
    ],
)
def test_assertion_status(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected, understand(text).findings


def test_negation_does_not_cross_a_sentence() -> None:
    p = understand("No fever. My calf is swollen.")
    assert p.findings["fever"].status == "absent"
    assert p.findings["leg_swelling"].status == "present"


def test_findings_keep_their_evidence_offsets() -> None:
    text = "Cramps at night, no swelling in my legs."
    for finding in understand(text).findings.values():
        if finding.start is not None:
            assert text[finding.start : finding.end] == finding.evidence


# ---------------------------------------------------------------- medicines
@pytest.mark.parametrize(
    ("text", "med_id", "drug_class", "how"),
    [
        ("I take Lasix", "furosemide", "loop_diuretic", "exact"),
        ("on furosemide 40mg", "furosemide", "loop_diuretic", "exact"),
        ("I take lipitor", "atorvastatin", "statin", "exact"),
        ("I'm on omeprazole", "omeprazole", "proton_pump_inhibitor", "exact"),
        ("I use a Ventolin inhaler", "albuterol", "short_acting_beta2_agonist", "exact"),
        ("I take bendroflumethiazide", "bendroflumethiazide", "thiazide_diuretic", "exact"),
        ("I'm on simvastatn", "simvastatin", "statin", "fuzzy"),
        ("I take quinine for my cramps", "quinine", "quinine", "exact"),
    ],
)
def test_medicine_recognition(text: str, med_id: str, drug_class: str, how: str) -> None:
    meds = {m.id: m for m in understand(text).medicines}
    assert med_id in meds, meds
    assert meds[med_id].drug_class == drug_class
    assert meds[med_id].match == how


def test_medicine_timing_and_dose() -> None:
    (med,) = understand("I started amlodipine 5mg three weeks ago").medicines
    assert med.change == "started"
    assert med.days_since_change == 21
    assert med.dose is not None
    assert med.dose.startswith("5")


def test_stopped_medicine_is_not_current() -> None:
    (med,) = understand("I stopped taking atorvastatin last month").medicines
    assert med.status == "stopped"


def test_someone_elses_medicine_is_not_the_persons() -> None:
    assert not understand("my nan swears by quinine for cramps").medicines


ORDINARY_WORDS = ["water", "coffee", "banana", "potato", "spinach", "walking", "running", "swimming", "cycling", "football", "tennis", "garden", "kitchen", "window", "doctor", "nurse", "pharmacy", "hospital", "morning", "evening", "weekend", "holiday", "summer", "winter", "autumn", "spring", "mountain", "river", "ocean", "forest", "chicken", "butter", "cheese", "bread", "pasta", "salad", "orange", "apple", "lemon", "tomato", "carrot", "pillow", "blanket", "mattress", "sheets", "slippers", "trainers", "sandals", "socks", "stocking", "jacket", "sweater", "trousers", "husband", "daughter", "grandson", "neighbour", "teacher", "builder", "farmer", "driver", "cleaner", "plumber", "office", "factory", "computer", "keyboard", "telephone", "television", "radio", "newspaper", "magazine", "letters", "emails", "message", "birthday", "wedding", "funeral", "church", "market", "supermarket", "station", "airport", "flight", "travel", "journey", "ticket", "luggage", "stretching", "massage", "exercise", "yoga", "pilates", "dancing", "hiking", "climbing", "rowing", "skiing", "surfing", "boxing", "tired", "sleepy", "hungry", "thirsty", "sweaty", "shaky", "dizzy", "nervous", "anxious", "worried", "happy", "sad", "angry", "grumpy", "quickly", "slowly", "gently", "firmly", "loudly", "quietly", "usually", "always", "sometimes", "rarely", "never", "often", "lately", "calves", "thighs", "ankles", "knees", "shins", "hamstrings", "muscles", "tendons", "ligaments", "bones", "joints", "toes", "heels", "twinge", "spasm", "cramp", "cramping", "aching", "throbbing", "burning", "tingling", "stabbing", "shooting", "pulling", "tightness", "brother", "sister", "cousin", "uncle", "auntie", "friend", "colleague", "partner", "mother", "father", "grandma", "grandpa", "pension", "retired", "working", "student", "nursing", "teaching", "cooking", "cleaning", "painting", "reading", "writing", "singing", "stairs", "ladder", "lawnmower", "vacuum", "laundry", "ironing", "shopping", "driving", "parking", "traffic", "weather", "heatwave", "thunder", "raining", "snowing", "freezing", "boiling", "humid", "breezy", "cloudy", "sunny", "stormy", "chilly", "marathon", "triathlon", "halfway", "training", "coaching", "sprinting", "jogging", "lifting", "squatting", "lunges", "planks", "chocolate", "biscuits", "crisps", "sandwich", "porridge", "cereal", "yoghurt", "smoothie", "lemonade", "cordial", "whisky", "lager", "cider", "prosecco", "champagne", "brandy", "vodka", "tequila", "bourbon", "espresso", "latte", "cappuccino", "decaf", "herbal", "appointment", "surgery", "clinic", "receptionist", "prescription", "tablets", "medicines", "vitamins", "minerals", "electrolytes", "hydration", "dehydrated", "sweating", "shivering", "fever", "headache", "migraine", "backache", "earache", "toothache", "stomach", "bladder", "kidneys", "liver", "thyroid", "glands", "lungs", "heart", "pressure"]

ORDINARY_SENTENCES = [
    "I went for a long walk along the river this morning.",
    "My husband says I kick in my sleep.",
    "We had fish and chips on the beach.",
    "The weather has been lovely and warm this week.",
    "I work as a teacher and stand all day.",
    "I play badminton on Tuesdays and Thursdays.",
    "I usually drink two cups of tea and a glass of water.",
    "My daughter is getting married in August.",
    "I have been gardening a lot, digging and weeding.",
    "Last Christmas I went skiing in Austria with my family.",
    "My doctor said my bloods were fine last year.",
    "I sleep with a heavy duvet and two pillows.",
    "I've started going to aqua aerobics at the leisure centre.",
    "My feet get cold in the evenings when I watch television.",
    "The cramps wake me up around three in the morning.",
]


def test_ordinary_word_list_is_long_enough() -> None:
    assert len(ORDINARY_WORDS) >= 200


@pytest.mark.parametrize("text", [*ORDINARY_SENTENCES,
                                  *(" ".join(ORDINARY_WORDS[i : i + 10]) for i in range(0, len(ORDINARY_WORDS), 10))])
def test_ordinary_words_never_become_medicines(text: str) -> None:
    assert understand(text).medicines == [], [(m.mentioned, m.id, m.match) for m in understand(text).medicines]


def test_each_ordinary_word_alone_is_not_a_medicine() -> None:
    found = {w: [m.id for m in understand(f"I take {w}").medicines] for w in ORDINARY_WORDS}
    assert not {w: ids for w, ids in found.items() if ids}


# ---------------------------------------------------------------- who, age and sex
HEIGHT_BUG = "'I'm 5 foot 2' sets age 5: the age regex excludes 'ft|feet' but not 'foot'"
SEX_BUG = ("a number followed by 'f'/'m' anywhere sets sex: '100.4F' (a temperature) makes the person female and "
           "'for 5 m' makes them male (_FEMALE/_MALE match \\d{1,3}\\s*f|m)")


@pytest.mark.parametrize(
    ("text", "age", "sex", "subject"),
    [
        ("I'm 67", 67, None, "self"),
        ("45M", 45, "male", "self"),
        ("F, 25", 25, "female", "self"),
        ("male, 45", 45, "male", "self"),
        ("52 year old woman", 52, "female", "self"),
        ("78yo woman", 78, "female", "self"),
        ("I am sixty-seven", 67, None, "self"),
        ("age: 33", 33, None, "self"),
        ("my son is 14", 14, "male", "child"),
        ("my daughter (16) gets cramps", 16, "female", "child"),
        ("typing for my dad, 68", 68, "male", "parent"),
        ("asking for my mum who is 82", 82, "female", "parent"),
        ("my wife is 59", 59, "female", "partner"),
        ("in my sixties", 65, None, "self"),
        ("I was 30 when it started, now I'm 45", 45, None, "self"),
        ("I run 5 k", None, None, "self"),
        pytest.param("I'm 5 foot 2", None, None, "self", marks=bug(HEIGHT_BUG)),
        pytest.param("my temperature was 100.4F", None, None, "self", marks=bug(SEX_BUG)),
        pytest.param("the cramp goes after I walk for 5 m", None, None, "self", marks=bug(SEX_BUG)),
    ],
)
def test_who_age_sex(text: str, age: float | None, sex: str | None, subject: str) -> None:
    p = understand(text)
    assert (p.age, p.sex, p.subject) == (age, sex, subject)


@pytest.mark.parametrize("text", ["age 400", "I'm 400 years old", "I am 121", "age 0"])
def test_impossible_age_is_dropped_with_a_note(text: str) -> None:
    p = understand(text)
    assert p.age is None
    assert any("not a possible age" in note for note in p.notes), p.notes


def test_pregnancy_weeks() -> None:
    p = understand("24 weeks pregnant, night cramps")
    assert p.pregnant is True
    assert p.pregnancy_weeks == 24
    assert p.sex == "female"
    assert understand("I'm in my third trimester and pregnant").pregnancy_weeks == 32


def test_not_pregnant() -> None:
    assert understand("I'm not pregnant, cramps at night").pregnant is False


# ---------------------------------------------------------------- measures
@pytest.mark.parametrize(
    ("text", "measure", "value"),
    [
        ("cramps 2-3 times a week", "cramps_per_week", 2.5),
        ("twice a week", "cramps_per_week", 2.0),
        ("3x a week", "cramps_per_week", 3.0),
        ("most nights", "cramps_per_week", 5.0),
        ("every night", "cramps_per_week", 7.0),
        ("once a month", "cramps_per_week", 0.25),
        ("it lasted about 5 minutes", "cramp_minutes", 5.0),
        ("lasting 30 seconds", "cramp_minutes", 0.5),
        ("each one lasts 2-3 minutes", "cramp_minutes", 3.0),
        ("temp 39.8", "temperature_c", 39.8),
        ("my temperature was 39.8", "temperature_c", 39.8),
        ("temperature 101 F", "temperature_c", 38.3),
        ("temp of 102", "temperature_c", 38.9),
        ("it is 35 degrees outside", "weather_c", 35.0),
        ("I weigh 80 kg", "weight_kg", 80.0),
        ("I drink 20 units a week", "alcohol_units_week", 20.0),
    ],
)
def test_measures(text: str, measure: str, value: float) -> None:
    assert understand(text).measures.get(measure) == pytest.approx(value, abs=0.05)


def test_frequency_of_sport_is_not_cramp_frequency() -> None:
    assert "cramps_per_week" not in understand("I play football 3 times a week").measures


def test_temperature_findings() -> None:
    p = understand("temp 39.8 and my leg is red")
    assert p.has("fever")
    assert p.has("high_temperature_words")
    assert not understand("it is 35 degrees outside").has("fever")


def test_number_helpers() -> None:
    assert word_to_number("sixty-seven") == 67
    assert word_to_number("couple of") == 2
    assert word_to_number("3.5") == 3.5
    assert word_to_number("banana") is None
    assert cramps_per_week("2-3 times a week") == 2.5
    assert cramp_minutes("lasted about 5 minutes") == 5
    assert temperatures("temp 39.8") == (39.8, None)
    assert temperatures("it's been 35°c") == (None, 35.0)


COUPLE_BUG = ("word_to_number counts the article: 'a couple of' -> 3 and 'a few' -> 4 (the leading 'a' adds 1), so "
              "'a couple of times a week' is 3 a week and 'a couple of weeks ago' is 21 days")


@pytest.mark.parametrize(("phrase", "value"), [("a couple of", 2), ("a couple", 2), ("a few", 3)])
def test_article_before_a_quantity_word(phrase: str, value: float) -> None:
    assert word_to_number(phrase) == value


def test_a_couple_of_times_a_week() -> None:
    assert cramps_per_week("a couple of times a week") == 2.0
    assert understand("I started amlodipine a couple of weeks ago").medicines[0].days_since_change == 14


OTHER_MED_BUG = ("someone else's medicine becomes the person's: the other-person triggers cover 'had|has|got' "
                 "but not 'takes|is on', so 'My husband takes Lasix.' adds furosemide (loop_diuretic) and moves "
                 "'I get calf cramps at night.' from self_care to consultation")


@pytest.mark.parametrize("text", ["I get calf cramps at night. My husband takes Lasix.",
                                  "I get calf cramps at night. My dad is on warfarin."])
def test_someone_elses_regular_medicine_is_not_the_persons(text: str) -> None:
    assert understand(text).medicines == []


@pytest.mark.parametrize("text", ["I get calf cramps at night. My mum has diabetes.",
                                  "I get calf cramps at night. My brother has kidney disease.",
                                  "I get calf cramps at night. My sister had a blood clot."])
def test_someone_elses_condition_is_not_the_persons(text: str) -> None:
    found = {k for k, v in understand(text).findings.items() if v.status == "present"}
    assert not found & {"diabetes", "kidney_disease", "prior_vte"}, found


@pytest.mark.parametrize(("text", "finding"), [("I am 60, calf cramps at night. My dad had a DVT.", "prior_vte"),
                                               ("I am 60, calf cramps at night. My wife had surgery last week.",
                                                "recent_surgery")])
def test_someone_elses_history_is_not_the_persons(text: str, finding: str) -> None:
    assert not understand(text).has(finding)


# ---------------------------------------------------------------- found with blind cases (kept as regressions)
@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("my calf cramps like a claw for a few seconds", "carpopedal_spasm", None),  # a vivid cramp, not tetany
        ("my hand went into a claw when the cuff went up", "carpopedal_spasm", "present"),
        ("wee was dark yellow yesterday", "dark_urine", "absent"),
        ("wee was dark yellow yesterday", "low_fluid_intake", "present"),
        ("what there is looks like strong tea", "dark_urine", "present"),
        ("her wee has gone pink", "dark_urine", "present"),
        ("been using LoSalt on everything", "salt_substitute", "present"),
        ("taking like 20 dulcolax a day", "laxative_misuse", "present"),
        ("had her left knee replaced 12 days ago", "recent_surgery", "present"),
        ("flew Sydney to London 3 days ago", "long_travel", "present"),
        ("stabbed her foot with a garden fork", "wound_contaminated", "present"),
        ("has to hang the leg down from the cot", "relieved_by_dangling", "present"),
        ("when I wiped after the loo I couldn't really feel it", "saddle_numbness", "present"),
        ("his kidneys are at 20 percent", "kidney_disease", "present"),
        ("I have Addison's", "adrenal_insufficiency_known", "present"),
        ("drank water at every station plus extra", "overdrinking", "present"),
        ("terrified it's ALS after googling", "motor_neuron_disease", "uncertain"),
        ("3-4 nights a week, wakes me up", "sleep_disturbed", "present"),
        ("it lasts till the tablet kicks in", "prolonged_standing", None),  # 'till' = until, not a checkout
        ("I work on the tills all day", "prolonged_standing", "present"),
    ],
)
def test_blind_case_wording(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected


@pytest.mark.parametrize(
    ("text", "age", "sex", "subject"),
    [
        ("Mum's 71, stabbed her foot", 71, "female", "parent"),
        ("my wife is 30 weeks pregnant", None, "female", "partner"),
        ("72 y.o. F with cramps", 72, "female", "self"),
        ("Pt is 64M", 64, "male", "self"),
        ("I turned 60 last month", 60, None, "self"),
        ("age: 55, sex: M", 55, "male", "self"),
        ("my 8 year old son gets leg pains", 8, "male", "child"),
    ],
)
def test_more_ways_to_say_who_and_how_old(text: str, age: float | None, sex: str | None, subject: str) -> None:
    p = understand(text)
    assert (p.age, p.sex, p.subject) == (age, sex, subject)


def test_activity_and_intermittent_durations_are_not_one_cramp() -> None:
    assert cramp_minutes("took up pickleball, playing 2 hours at a time") is None
    assert cramp_minutes("cramping on and off. they settled in about half an hour") is None
    assert cramp_minutes("the cramp lasted about 20 minutes") == 20


def test_age_and_sex_are_not_a_temperature() -> None:
    assert temperatures("68F, took up pickleball") == (None, None)
    assert temperatures("temp 104F") == (40.0, None)


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("my left calf is swolen and warm", "leg_swelling", "present"),  # one letter out: still read
        ("my left calf is swolen and warm", "leg_warm", "present"),
        ("no breathles", "breathless", "absent"),
        ("it doesnt go off wen i strech it", "self_care_failed", "present"),
        ("got a charley horse during pickup basketball", "during_exercise", "present"),
        ("if I lean on the trolley I can keep going", "relieved_by_sitting", "present"),
        ("my left foot has started slapping down", "weakness_progressive", "present"),
        ("the muscles ripple under the skin", "fasciculations", "present"),
        ("Shall we apply hot fomentation", "hot_weather", None),
    ],
)
def test_spelling_and_more_wording(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected


def test_spelling_never_touches_medicine_names() -> None:
    meds = understand("I take lipator and furosemid").medicines
    assert {m.id for m in meds} == {"atorvastatin", "furosemide"}


def test_weather_temperature_is_not_a_fever() -> None:
    assert temperatures("here temperature is 42°c these days") == (None, 42.0)
    assert temperatures("her temperature is 39.5") == (39.5, None)


def test_months_pregnant_gives_weeks() -> None:
    p = understand("My wife is 7 months pregnant")
    assert p.pregnant
    assert p.pregnancy_weeks == 30


@pytest.mark.parametrize(
    "word",
    ["checked", "trying", "weather", "massage", "bother", "trained", "factor", "stable", "breast", "landing",
     "waiting", "thinking", "switch", "towels", "brushing", "letter", "season", "causing", "weighs"],
)
def test_real_words_are_never_spelling_corrected(word: str) -> None:
    """Found by running the corrector over 500 narratives: a changed or leading letter makes another real
    word ("checked" -> "chucked", "bother" -> "brother"), so only dropped doubled letters and -in' are read."""
    from crampwise.pipeline import text_model
    from crampwise.text.extract import _spell
    from crampwise.text.tokens import tokenize

    assert [t.text for t in _spell(tokenize(word), text_model())] == [word]


@pytest.mark.parametrize("text", ["Drill sergeant says hydrate and push through.", "The sergeant made us run."])
def test_a_word_near_a_listed_typo_is_not_a_medicine(text: str) -> None:
    """'sergeant' is one slip from the listed typo 'serevant' and two from Serevent: typos need a closer match."""
    assert understand(text).medicines == []


def test_listed_typos_and_near_names_still_match() -> None:
    assert [(m.id, m.match) for m in understand("I take serevant").medicines] == [("salmeterol", "exact")]
    assert [(m.id, m.match) for m in understand("im on salmetrl").medicines] == [("salmeterol", "fuzzy")]


def test_a_medicine_used_years_ago_is_not_current() -> None:
    p = understand("Her family asked if the GP could put her back on the quinine she used to have years ago.")
    assert [m.status for m in p.medicines if m.id == "quinine"] == ["stopped"]
    assert "quinine_user" not in p.findings


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("refereed two matches in 31 C sun", "hot_weather", "present"),
        ("they eased off with stretching and a drink", "relieved_by_stretch", "present"),
        ("I stretched it out and it went", "relieved_by_stretch", "present"),
        ("we tucked her in tight with her feet pointing down", "tight_bedding", "present"),
        ("the obstetrician started me on nifedipine", "pregnancy_words", "present"),
        ("tengo 35 semanas de embarazo", "pregnancy_words", "present"),
        ("cramps in the last quarter of the game", "during_exercise", "present"),
        ("he works as a labourer on a building site", "physical_work", "present"),
    ],
)
def test_wording_from_the_life_stage_cases(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected


@pytest.mark.parametrize(("text", "age"), [("My son age ten years, gets leg pains at night", 10),
                                           ("my daughter, aged seven, wakes with sore legs", 7),
                                           ("Dad is seventy-two years old and has cramps", 72)])
def test_ages_in_words(text: str, age: float) -> None:
    assert understand(text).age == age


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm 60 and on a statin", [("statin_unspecified", "statin")]),
        ("on a PPI for reflux", [("ppi_unspecified", "proton_pump_inhibitor")]),
        ("I take water tablets", [("diuretic_unspecified", "none")]),
        ("a course of steroids last month", [("corticosteroid_unspecified", "corticosteroid")]),
        # the named medicine replaces the bare kind; a negated kind is not a medicine at all
        ("On atorvastatin 20 for 3 years. Should I stop the statin?", [("atorvastatin", "statin")]),
        ("only takes a water tablet, bendroflumethiazide, for his bp", [("bendroflumethiazide", "thiazide_diuretic")]),
        ("not on any water pills or statins", []),
        ("drank water at every station", []),  # 'station' is not fuzzy-read as 'statin'
        ("I read statins cause cramps", []),  # talked about, not taken
        ("coffee is a diuretic so I cut down", []),
        ("should I stop the water tablet?", [("diuretic_unspecified", "none")]),
    ],
)
def test_medicines_named_by_their_kind(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.id, m.drug_class) for m in understand(text).medicines] == expected


def test_water_tablets_without_a_name_still_count_as_a_diuretic() -> None:
    from crampwise.pipeline import assess_text

    a = assess_text("I'm 74, on water tablets, calf cramps most nights")
    assert a.profile.findings["diuretic"].status == "present"
    assert "medication" in [f.id for f in a.factors]


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # forum posts (blind set H)
        ("when I wipe after the toilet it feels numb", "saddle_numbness", "present"),
        ("when I did go it took ages to start", "bladder_bowel_change", "present"),
        ("the bus took ages to start", "bladder_bowel_change", None),
        ("Mrs says go to A&E, I say it's a cramp", "clinician_urged_urgent", None),
        ("my GP said go to A&E now", "clinician_urged_urgent", "present"),
        ("first spin class in years, went to a 45 min spin class", "exercise_regular", "present"),
        ("I'm shattered from the broken sleep", "crush_or_fracture", None),
        ("the practice did bloods last week", "exercise_regular", None),
        ("Kidneys are 'stage 3b' they tell me", "kidney_disease", "present"),
        ("CKD3b for years", "kidney_disease", "present"),
        ("he drank a full cup at every single water station", "overdrinking", "present"),
        ("he is heavier than this morning", "overdrinking", "present"),
        ("both on training nights he gets a cramp", "after_exercise", "present"),
        # a negation the phrase's gap steps over, unless the pattern spells it
        ("my hands haven't gone into spasm", "carpopedal_spasm", "absent"),
        ("physio stretches haven't helped", "relieved_by_stretch", "absent"),
        ("when I wiped I couldn't feel the paper", "saddle_numbness", "present"),
        # 'about N minutes' is brief only for a few minutes
        ("it was rock hard for about 25 minutes", "brief_cramp", None),
        ("lasts about 2 minutes", "brief_cramp", "present"),
    ],
)
def test_wording_from_forum_posts(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected


def test_forum_shorthand_for_who_is_meant() -> None:
    p = understand("Posting for my DS who's 12 - his calf cramps at night")
    assert (p.subject, p.age, p.sex) == ("child", 12, "male")
    assert understand("DH finished his first marathon and is being weird").subject == "partner"


def test_part_of_an_activity_is_not_a_cramp_length() -> None:
    assert "cramp_minutes" not in understand("foot cramps in the last 15 min of a 3k set").measures
    assert understand("a cramp for 20 minutes of agony").measures["cramp_minutes"] == 20


def test_a_bracketed_aside_has_its_own_timing() -> None:
    p = understand("I was started on bendroflumethiazide in the new year (the amlodipine gave me swollen ankles "
                   "so that was stopped).")
    assert {m.id: m.status for m in p.medicines} == {"bendroflumethiazide": "current", "amlodipine": "stopped"}
    p = understand("started AKT 4 tablets (isoniazid, rifampicin, pyrazinamide, ethambutol) 3 weeks ago")
    assert {m.days_since_change for m in p.medicines} == {21.0}


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # clinical shorthand and phone texts (blind set I)
        ("Nil cough, nil fever", "fever", "absent"),
        ("calves soft, non-tender, no oedema", "leg_tender", "absent"),
        ("c/o L calf pain + swelling x3/7", "side_left", "present"),
        ("leg swole up after the flight", "leg_swelling", "present"),
        ("cramp R calf ~0300", "timing_night", "present"),
        ("burning, tingling both soles", "burning_feet", "present"),
        ("monofilament reduced bilat", "burning_feet", "present"),
        ("SH ETOH ~8 std drinks/day (beer)", "alcohol_heavy", "present"),
        ("c/o nocturnal calf cramps 3-4 nights/wk, waking him", "sleep_disturbed", "present"),
        ("hes fit, no tablets", "seizure", None),  # fit and well, not a fit
        ("she had a fit this morning", "seizure", "present"),
        ("walks the dog every day", "frequent_word", None),
        ("mum tucks the sheets in super tight", "tight_bedding", "present"),
        ("sits cross legged gaming for hrs", "prolonged_sitting", "present"),
        ("12h shifts on concrete", "prolonged_standing", "present"),
        ("DH paracetamol 1g qds, senna 15mg nocte", "laxative_misuse", None),
    ],
)
def test_wording_from_notes_and_texts(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected


def test_dosed_list_items_keep_their_own_timing() -> None:
    p = understand("DH Synthroid 100mcg od, HCTZ 25mg od, Crestor 20mg od started 6/52 ago.")
    assert {m.id: (m.change, m.days_since_change) for m in p.medicines} == {
        "levothyroxine": (None, None), "hydrochlorothiazide": (None, None), "rosuvastatin": ("started", 42.0)}
    p = understand("Started Lipitor, Lasix and ramipril 3 weeks ago")
    assert {m.change for m in p.medicines} == {"started"}


@pytest.mark.parametrize(("text", "age", "subject"), [("mum 80 been on pantaprazole for yrs n lasics", 80, "parent"),
                                                      ("Resident 89F, PMH mild dementia", 89, "self")])
def test_shorthand_age_and_subject(text: str, age: float, subject: str) -> None:
    p = understand(text)
    assert (p.age, p.subject) == (age, subject)


def test_a_dose_abbreviation_is_a_prescription() -> None:
    assert [m.id for m in understand("quinine sulfate 300mg qhs for leg cramps").medicines] == ["quinine"]
    assert [m.id for m in understand("i take lasics").medicines] == ["furosemide"]


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # context traps (blind set K)
        ("Five years ago my wee went dark after a marathon.", "dark_urine", None),  # history, not now
        ("In 2015 my left calf was swollen and it was a DVT, fully treated.", "leg_swelling", None),
        ("In 2015 my left calf was swollen and it was a DVT, fully treated.", "prior_vte", "present"),
        ("Last year I had a DVT and now my calf is swollen again", "leg_swelling", "present"),
        ("It's not that it isn't swollen - it is", "leg_swelling", "present"),
        ("it's puffier than the right", "leg_swelling_one", "present"),
        ("I had to stop halfway up the stairs to get my breath", "breathless", "present"),
        ("I've coughed up a bit of pinkish stuff twice", "cough_blood", "present"),
        ("It catches when I breathe in deeply", "chest_pain", "present"),
        ("he's asked me twice where we parked", "confusion", "present"),
        ("the duty doctor wants me at the hospital tonight", "clinician_urged_urgent", "present"),
        ("the surgery rang at 5pm", "timing_night", None),
        ("Ran the Cardiff half on 6/10", "severe_pain", None),  # a date, not a pain score
        ("the pain is 8/10", "severe_pain", "present"),
        ("I stand there for a minute or so, then it eases and I carry on", "relieved_by_stopping", "present"),
        ("Every time I walk to the paper shop my calf seizes up", "on_walking", "present"),
        ("I've tripped twice", "weakness_progressive", "present"),
        ("that shin looks flatter than the other side", "muscle_wasting", "present"),
        ("gave me a tetanus booster same day", "tetanus_protected", "present"),
        ("she's been crying out at night with cramps", "sleep_disturbed", "present"),
        ("I had to strain to get my wee started", "bladder_bowel_change", "present"),
    ],
)
def test_wording_from_context_traps(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected


def test_hrt_and_a_switch_of_inhaler_are_read() -> None:
    assert [m.drug_class for m in understand("I'm 56 and use HRT patches").medicines] == ["estrogen"]
    meds = understand("the asthma nurse moved me off my Clenil inhaler onto Fostair").medicines
    assert {m.id: m.change for m in meds}["beclometasone_formoterol"] == "started"
    assert understand("she did the marathon today and took about five hours").measures.get("cramp_minutes") is None


def test_a_lab_value_after_a_few_words_is_read() -> None:
    from crampwise.pipeline import assess_text

    a = assess_text("my potassium on yesterday's blood test is 6.9 and the duty doctor wants me at the hospital tonight")
    assert [(lab.analyte, lab.value) for lab in a.profile.labs] == [("potassium", 6.9)]
    assert "electrolyte_emergency" in [f.id for f in a.red_flags]


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # other markets and units (blind set J)
        ("my ears ring constantly, things look blurry", "hearing_change", "present"),
        ("my ears ring constantly, things look blurry", "vision_change", "present"),
        ("my right calf is paining like cramp that refuse to go", "cramp_persistent", "present"),
        ("He won't go to the doctor", "cramp_persistent", None),
        ("he plays football with his friends every day after school", "frequent_word", None),
        ("it is hot, about 34°C", "leg_warm", None),
        ("my calf is hot and red", "leg_warm", "present"),
        ("now 4-5 nights in a week, and sleep is disturbed", "sleep_disturbed", "present"),
        ("Quads cramped from km 80, climbed off, stretched", "during_exercise", "present"),
    ],
)
def test_wording_from_other_markets(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected


@pytest.mark.parametrize(("text", "med_id"), [("For BP I take Telma 40", "telmisartan"), ("Amlong 5 at night", "amlodipine"),
                                              ("my doctor added Rosuvas 10", "rosuvastatin"), ("I take Ridaq 25 mg", "hydrochlorothiazide"),
                                              ("I take Enap for blood pressure", "enalapril")])
def test_brands_from_india_and_south_africa(text: str, med_id: str) -> None:
    assert med_id in [m.id for m in understand(text).medicines]


def test_a_combination_is_reviewed_for_each_kind_it_holds() -> None:
    from crampwise.pipeline import assess_text

    a = assess_text("57M, started on Moduretic 6 weeks ago, since then calf cramps at night")
    assert {m.drug_class for m in a.medications} == {"potassium_sparing_diuretic", "thiazide_diuretic"}


def test_potassium_foods_are_held_back_with_a_potassium_raising_medicine_and_a_low_egfr() -> None:
    from crampwise.pipeline import assess_text

    a = assess_text("68 male, on losartan 100. Creatinine 2.1 mg/dL, potassium 5.0 mEq/L. Cramps most nights.")
    assert "potassium_rich_foods" in [h.id for h in a.held_back]
    assert "potassium_rich_foods" not in [p.id for p in a.plan]


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # long medicine lists (blind set L) and mimics (blind set M)
        ("Her tablets haven't changed in about four years: amlodipine 5mg, ramipril 2.5mg", "meds_unchanged_long", "present"),
        ("All the same for 3+ years.", "meds_unchanged_long", "present"),
        ("She says she's passing less water", "reduced_urine", "present"),
        ("I've had to pull myself up the stairs on the bannister", "muscle_weakness", "present"),
        ("both my thighs and shoulders have ached", "muscle_aches", "present"),
        ("I heard a pop and it felt like someone kicked me in the back of the heel", "tendon_rupture_signs", "present"),
        ("I can't go up on tiptoe on that side", "tendon_rupture_signs", "present"),
        ("a hard, sore, red line along a vein on my calf", "vein_hard_red", "present"),
        ("I've read far too much about ALS online", "motor_neuron_disease", "uncertain"),
        ("a knotty vein on the inside of my calf", "varicose_veins", "present"),
        ("Most mornings before his first tablet his foot turns inwards", "unaccustomed_exercise", None),
        ("always freezing, constipated, put on a stone", "cold_intolerance", "present"),
    ],
)
def test_wording_from_medicine_lists_and_mimics(text: str, finding: str, expected: str | None) -> None:
    assert status(text, finding) == expected


def test_dosing_in_a_medicine_list_is_not_how_often_the_cramps_come() -> None:
    p = understand("Her tablets: lansoprazole 15mg, Adcal-D3 twice a day and co-codamol up to 4 a day. "
                   "Once or twice a month she gets a cramp in her left calf.")
    assert p.measures["cramps_per_week"] < 1


def test_a_bracketed_clause_with_no_timing_keeps_none() -> None:
    p = understand("Three weeks ago the GP started me on ramipril 2.5mg (I'm diabetic, on metformin and gliclazide).")
    assert {m.id: m.change for m in p.medicines} == {"ramipril": "started", "metformin": None, "gliclazide": None}
    p = understand("bendroflumethiazide 2.5mg (8 yrs)")
    assert p.medicines[0].days_since_change == 730.0
