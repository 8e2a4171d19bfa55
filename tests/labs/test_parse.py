"""Finding lab results in free text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.labs import LabMention, normalise_unit, parse_labs


def _one(text: str) -> LabMention:
    found = parse_labs(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "analyte", "value", "unit"),
    [
        ("potassium 3.1", "potassium", 3.1, ""),
        ("my potassium was 3.1", "potassium", 3.1, ""),
        ("a potassium of 3.1", "potassium", 3.1, ""),
        ("potassium: 3.1", "potassium", 3.1, ""),
        ("K=3.1", "potassium", 3.1, ""),
        ("K 3.1 mmol/l", "potassium", 3.1, "mmol/L"),
        ("K+ 3.1 mEq/L", "potassium", 3.1, "mEq/L"),
        ("potassium was only 3.1 meq/l", "potassium", 3.1, "mEq/L"),
        ("potassium 3,1 mmol", "potassium", 3.1, "mmol/L"),
        ("my eGFR is 28", "egfr", 28, ""),
        ("GFR of 45 mL/min/1.73m2", "egfr", 45, "mL/min/1.73m²"),
        ("creatinine 1.4 mg/dL", "creatinine", 1.4, "mg/dL"),
        ("Cr 120 umol/L", "creatinine", 120, "µmol/L"),
        ("creat 120 micromol/L", "creatinine", 120, "µmol/L"),
        ("creatinine 98 µmol/L", "creatinine", 98, "µmol/L"),
        ("magnesium 0.41 mmol/L", "magnesium", 0.41, "mmol/L"),
        ("Mg 0.62", "magnesium", 0.62, ""),
        ("Na 128", "sodium", 128, ""),
        ("sodium came back at 128 mmol/L", "sodium", 128, "mmol/L"),
        ("Ca 2.1", "calcium", 2.1, ""),
        ("calcium 8.9 mg/dl", "calcium", 8.9, "mg/dL"),
        ("ionised calcium 1.02", "ionised_calcium", 1.02, ""),
        ("albumin 30 g/L", "albumin", 30, "g/L"),
        ("albumin 3.0 g/dL", "albumin", 3.0, "g/dL"),
        ("phosphate 0.6", "phosphate", 0.6, ""),
        ("phosphorus 2.5 mg/dL", "phosphate", 2.5, "mg/dL"),
        ("urea 12.1", "urea", 12.1, ""),
        ("BUN 32 mg/dL", "bun", 32, "mg/dL"),
        ("blood sugar 110", "glucose", 110, ""),
        ("fasting glucose 6.4 mmol/L", "glucose", 6.4, "mmol/L"),
        ("A1c 7.1%", "hba1c", 7.1, "%"),
        ("HbA1c 53 mmol/mol", "hba1c", 53, "mmol/mol"),
        ("TSH 7.8 mU/L", "tsh", 7.8, "mU/L"),
        ("TSH 7.8 mIU/L", "tsh", 7.8, "mIU/L"),
        ("free T4 9 pmol/L", "free_t4", 9, "pmol/L"),
        ("CK 131,900 U/L", "ck", 131900, "U/L"),
        ("CPK 850 IU/L", "ck", 850, "IU/L"),
        ("creatine kinase 426,700 iu/l", "ck", 426700, "IU/L"),
        ("vit D 15", "vitamin_d", 15, ""),
        ("25-OH vitamin D 40 nmol/L", "vitamin_d", 40, "nmol/L"),
        ("vitamin D 12 ng/mL", "vitamin_d", 12, "ng/mL"),
        ("PTH 3.4 pg/mL", "pth", 3.4, "pg/mL"),
        ("PTH 9.1 pmol/L", "pth", 9.1, "pmol/L"),
        ("ferritin 22", "ferritin", 22, ""),
        ("ferritin 22 ug/L", "ferritin", 22, "µg/L"),
        ("my TSH was 2.1 in the spring.", "tsh", 2.1, ""),
    ],
)
def test_reads_a_result(text: str, analyte: str, value: float, unit: str) -> None:
    """Names, abbreviations, separators, number formats and unit spellings are understood."""
    mention = _one(text)

    assert (mention.analyte, mention.unit) == (analyte, unit)
    assert mention.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "I'm 67",
        "cramps at 3am most nights",
        "it lasts 10 mins",
        "should I take potassium tablets?",
        "I take magnesium every night",
        "I take magnesium 400 mg",
        "take calcium tablets 2 a day",
        "calcium tablets",
        "someone said vitamin K2 helps",
        "K2 100 mcg",
        "vitamin K 2 days ago",
        "BP 175/95 on my home machine",
        "on Lasix 80mg in the mornings",
        "tried magnesium spray 3 times",
        "vitamin D 1000 IU daily",
        "potassium 2 a day",
        "walk 5k a day",
        "CA 125 was 40",
        "potassium was checked 3 days ago",
        "magnesium oxide 400",
        "sodium valproate 500",
    ],
)
def test_ordinary_numbers_are_not_labs(text: str) -> None:
    """Ages, times, durations, doses and supplements are not read as lab results."""
    assert parse_labs(text) == []


def test_offsets_and_evidence() -> None:
    """start/end locate the matched words in the text."""
    text = "Bloods yesterday: potassium 3.1 and magnesium 0.62. Nurse said"

    found = parse_labs(text)

    assert [m.evidence for m in found] == ["potassium 3.1", "magnesium 0.62"]
    assert all(text[m.start : m.end] == m.evidence for m in found)


def test_unit_shared_by_a_list() -> None:
    """A unit after the last result of a list applies to the earlier ones."""
    found = parse_labs("calcium 1.89 and magnesium 0.32 mmol/L")

    assert [(m.analyte, m.value, m.unit) for m in found] == [
        ("calcium", 1.89, "mmol/L"),
        ("magnesium", 0.32, "mmol/L"),
    ]


def test_shared_unit_needs_a_fitting_size() -> None:
    """A list unit is not given to a number that cannot be in it (glucose 6 is not 6 mg/dL)."""
    found = parse_labs("glucose 6, phosphorus 2.5 mg/dL")

    assert [m.unit for m in found] == ["", "mg/dL"]


def test_two_values_for_one_result() -> None:
    """ "HbA1c was 78 mmol/mol (9.3%)" is one result: the first value, the second kept alongside."""
    mention = _one("Last HbA1c was 78 mmol/mol (9.3%). I've been")

    assert (mention.value, mention.unit, mention.alt_value, mention.alt_unit) == (78, "mmol/mol", 9.3, "%")
    assert mention.evidence == "HbA1c was 78 mmol/mol (9.3%)"


def test_printed_range() -> None:
    """A range the laboratory printed next to the value is captured."""
    mention = _one("calcium 5.1 mg/dL (they said normal is 8.4-10.2). The doctor")

    assert (mention.reported_low, mention.reported_high) == (8.4, 10.2)


@pytest.mark.parametrize(
    "text",
    ["potassium 3.1 (normal 3.5-5.3)", "potassium 3.1, normal range 3.5 to 5.3", "potassium 3.1 [3.5–5.3]"],
)
def test_printed_range_spellings(text: str) -> None:
    """Brackets or the words normal/range introduce a printed range."""
    mention = _one(text)

    assert (mention.reported_low, mention.reported_high) == (3.5, 5.3)


def test_printed_range_with_other_unit_is_converted() -> None:
    """A printed range in another unit is converted to the unit of the value."""
    mention = _one("calcium 2.0 mmol/L (normal 8.8-10.4 mg/dL)")

    assert mention.reported_low == pytest.approx(2.1956, abs=1e-3)
    assert mention.reported_high == pytest.approx(2.5948, abs=1e-3)


def test_printed_range_supplies_missing_unit() -> None:
    """A range printed with a unit tells the unit of a bare value."""
    mention = _one("potassium 3.1 (normal 3.5-5.3 mmol/L)")

    assert mention.unit == "mmol/L"


def test_adjusted_calcium_is_marked() -> None:
    """ "Corrected calcium" is calcium that must not be adjusted again."""
    assert _one("corrected calcium 1.89").adjusted
    assert not _one("calcium 1.89").adjusted


def test_comparator() -> None:
    """ "eGFR >90" keeps the comparison sign."""
    mention = _one("eGFR >90")

    assert (mention.value, mention.comparator) == (90, ">")


def test_several_results_in_a_narrative() -> None:
    """A real-looking report with several results in a row."""
    text = "U&E: Na 131, K+ 5.9 mmol/L, urea 14.2, creat 187 umol/L, eGFR 31. CK 412 U/L. TSH 2.1"

    found = parse_labs(text)

    assert [m.analyte for m in found] == ["sodium", "potassium", "urea", "creatinine", "egfr", "ck", "tsh"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bloods yesterday: potassium 3.1 and magnesium 0.62. Nurse said someone will ring.",
         [("potassium", 3.1), ("magnesium", 0.62)]),
        ("GP did bloods today because I felt awful: CK 131,900 U/L. My muscles", [("ck", 131900)]),
        ("Blood test showed ferritin 22. My husband says I kick in my sleep.", [("ferritin", 22)]),
        ("I take levothyroxine, my TSH was 2.1 in the spring.", [("tsh", 2.1)]),
        ("I'm 78 with heart failure. On Lasix 80mg in the mornings, bisoprolol and ramipril, and the heart "
         "nurse has me keeping to 1.5 litres of fluid a day.", []),
        ("Tried tonic water, magnesium and sports drinks. Can I have quinine, or more salt?", []),
        ("I take levothyroxine 150mcg and calcium tablets. Past few days", []),
    ],
)  # fmt: skip
def test_development_narratives(text: str, expected: list[tuple[str, float]]) -> None:
    """Sentences from the development cases give exactly the results they contain."""
    assert [(m.analyte, m.value) for m in parse_labs(text)] == expected


def test_linear_time_on_near_misses() -> None:
    """20,000 characters of near-miss text (names, connectors, brackets, no values) parse at once."""
    chunk = "potassium was was of is K+ = ( normal range calcium tablets 3am Mg mg/dL eGFR is level of ("
    text = (chunk * (20_000 // len(chunk) + 1))[:20_000]

    found = parse_labs(text)

    assert isinstance(found, list)


def test_many_results_in_a_long_text() -> None:
    """A long text of real results is read completely."""
    text = "potassium 3.1 mmol/L, " * 1000

    assert len(parse_labs(text)) == 1000


_NAMES = {
    "potassium": ["potassium", "K", "K+"],
    "sodium": ["sodium", "Na"],
    "magnesium": ["magnesium", "Mg"],
    "creatinine": ["creatinine", "Cr", "creat"],
    "ck": ["CK", "CPK", "creatine kinase"],
    "hba1c": ["HbA1c", "A1c"],
    "egfr": ["eGFR", "GFR"],
}


@settings(max_examples=200, deadline=None)
@given(
    analyte=st.sampled_from(sorted(_NAMES)),
    data=st.data(),
    value=st.decimals(min_value="0.1", max_value="999", places=2),
    connector=st.sampled_from([" ", ": ", " was ", " of ", " is ", "=", " came back at "]),
    prefix=st.sampled_from(["", "Bloods: ", "my ", "The GP said my "]),
    suffix=st.sampled_from(["", ".", " yesterday", ", which worried me"]),
)
def test_any_value_round_trips(
    analyte: str, data: st.DataObject, value: object, connector: str, prefix: str, suffix: str
) -> None:
    """Whatever the wording, the number read back is the number written."""
    name = data.draw(st.sampled_from(_NAMES[analyte]))
    text = f"{prefix}{name}{connector}{value}{suffix}"

    mention = _one(text)

    assert (mention.analyte, mention.value) == (analyte, float(str(value)))
    assert text[mention.start : mention.end] == mention.evidence


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("KNaMgCrk+ =:.,0123456789()%/mLgdu-potasiumecl\n")), max_size=99)
)
def test_never_fails_on_junk(text: str) -> None:
    """Arbitrary text never raises, and every mention points at its own words."""
    for mention in parse_labs(text):
        assert text[mention.start : mention.end] == mention.evidence
        assert mention.value >= 0


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("potassium 3.1 mmol/L", "mmol/L"),
        ("potassium 3.1 mmol/l", "mmol/L"),
        ("potassium 3.1 mmol", "mmol/L"),
        ("potassium 3.1 mEq/L", "mEq/L"),
        ("potassium 3.1 meq/l", "mEq/L"),
        ("calcium 8.9 mg/dL", "mg/dL"),
        ("calcium 8.9 mg/dl", "mg/dL"),
        ("creatinine 120 µmol/L", "µmol/L"),
        ("creatinine 120 μmol/L", "µmol/L"),
        ("creatinine 120 umol/L", "µmol/L"),
        ("creatinine 120 micromol/L", "µmol/L"),
        ("CK 300 U/L", "U/L"),
        ("CK 300 IU/L", "IU/L"),
        ("CK 300 iu/l", "IU/L"),
        ("HbA1c 7.1 %", "%"),
        ("HbA1c 54 mmol/mol", "mmol/mol"),
        ("vitamin D 20 ng/mL", "ng/mL"),
        ("vitamin D 50 nmol/L", "nmol/L"),
        ("PTH 5 pmol/L", "pmol/L"),
        ("PTH 50 pg/mL", "pg/mL"),
        ("PTH 50 ng/L", "ng/L"),
        ("TSH 2 mU/L", "mU/L"),
        ("TSH 2 mIU/L", "mIU/L"),
        ("ferritin 40 µg/L", "µg/L"),
        ("ferritin 40 ug/L", "µg/L"),
        ("albumin 35 g/L", "g/L"),
        ("albumin 3.5 g/dL", "g/dL"),
    ],
)
def test_unit_spellings(text: str, unit: str) -> None:
    """Every common spelling of a unit is read and normalised."""
    assert _one(text).unit == unit


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [("mg/dl", "mg/dL"), ("UMOL/L", "µmol/L"), (" mmol ", "mmol/L"), ("furlongs", "furlongs")],
)
def test_normalise_unit(typed: str, normalised: str) -> None:
    """Unit spellings are normalised; anything unknown is returned as typed (stripped)."""
    assert normalise_unit(typed) == normalised
