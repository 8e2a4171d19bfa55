"""Table-driven checks of the whole text -> assessment path on short, clinically obvious narratives.

Each row states only what any clinician would agree on: the triage level (or the few defensible
ones), red flags that must be found, a factor that must be in the top three, and plan items that
must or must not appear. Rows that currently fail because of a product bug are marked
`xfail(strict=True)` with the bug in the reason, so fixing the bug turns them into failures to
un-mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from crampwise.model import urgency
from crampwise.pipeline import InputError, assess_profile, assess_text

SUPPLEMENTS = ("potassium_supplement", "magnesium_supplement", "calcium_supplement")
NEVER = ("quinine", "stop_medication")


@dataclass(frozen=True)
class Row:
    text: str
    triage: tuple[str, ...]  # acceptable levels
    flags: tuple[str, ...] = ()  # must be among red_flags
    top3: tuple[str, ...] = ()  # each must be among the first three factors
    plan_has: tuple[str, ...] = ()
    plan_not: tuple[str, ...] = ()
    no_flags: tuple[str, ...] = ()  # must NOT be raised
    bug: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


EMERGENCY = ("emergency_ambulance", "emergency")

ROWS: list[Row] = [
    # ---- emergencies
    Row("sudden cold white painful foot", ("emergency_ambulance",), flags=("acute_limb_ischemia",),
        plan_not=("stretch_during_cramp", "massage", "heat_therapy")),
    Row("My calf is swollen and painful and now I'm suddenly short of breath with chest pain. "
        "I flew back from Australia yesterday", ("emergency_ambulance",), flags=("pe_signs",),
        plan_not=("massage", "stretch_during_cramp")),
    Row("My calf is swollen and painful and now I'm suddenly short of breath with chest pain",
        ("emergency_ambulance",), flags=("pe_signs",), plan_not=("massage",)),
    Row("I ran a marathon in the heat and now I'm confused and collapsed, very hot skin",
        ("emergency_ambulance",), flags=("heat_stroke",), plan_has=("cooling",), plan_not=("heat_therapy",)),
    Row("tingling round my mouth and my hands are going into spasm after thyroid surgery", EMERGENCY,
        flags=("tetany",), top3=("hypoparathyroidism",)),
    Row("back pain and numbness around my bottom and I can't control my bladder", EMERGENCY,
        flags=("cauda_equina",)),
    Row("I cut my foot on a rusty nail last week and now my jaw is stiff and I get spasms", EMERGENCY,
        flags=("tetanus_risk",), top3=("tetanus",)),
    Row("after a hard gym session my muscles are very painful and swollen and my urine is dark like cola",
        EMERGENCY, flags=("rhabdomyolysis",), plan_not=("massage", "vigorous_exercise", "heat_therapy")),
    Row("I take furosemide and lisinopril, my potassium was 6.8 and I feel weak with palpitations",
        EMERGENCY, flags=("electrolyte_emergency",),
        plan_not=("potassium_rich_foods", "potassium_supplement", "extra_salt")),
    Row("I'm 45, I take quinine for cramps and now I bruise easily and my gums bleed", EMERGENCY,
        flags=("quinine_toxicity",), plan_not=NEVER),
    Row("I'm 45, I take quinine for cramps and now I have unusual bruising", EMERGENCY,
        flags=("quinine_toxicity",), plan_not=NEVER),
    # ---- within 24 hours
    Row("My left calf has been swollen, red and warm for two days and it hurts to walk",
        ("consultation_24", *EMERGENCY), flags=("dvt_signs",), top3=("dvt",),
        plan_not=("massage", "calf_stretch_routine", "stretch_during_cramp", "heat_therapy")),
    Row("I had a cramp in my calf that has lasted over an hour and won't go away even with stretching",
        ("consultation_24", *EMERGENCY), flags=("cramp_not_resolving",)),
    Row("working outside in the heat all day, sweating heavily, feeling sick and dizzy, with leg cramps",
        ("consultation_24", *EMERGENCY), flags=("heat_exhaustion",), top3=("heat_exposure",),
        plan_has=("cooling",), plan_not=("heat_therapy",)),
    # ---- routine appointment
    Row("calf pain when I walk 200 yards, goes when I stand still, I smoke", ("consultation", "consultation_24"),
        flags=("claudication",), top3=("peripheral_artery_disease",), plan_not=("heat_therapy",)),
    Row("I'm 68, started bendroflumethiazide a month ago and now get cramps at night",
        ("consultation", "consultation_24"), flags=("new_drug_onset",), top3=("medication",),
        plan_has=("medication_review",), plan_not=NEVER),
    Row("urge to move my legs in the evening with a crawly feeling, better when I walk about",
        ("consultation", "self_care"), flags=("rls_features",), top3=("restless_legs_syndrome",)),
    Row("on dialysis, cramps near the end of my sessions", ("consultation", "consultation_24"),
        top3=("dialysis",),
        plan_not=("potassium_rich_foods", "potassium_supplement", "magnesium_supplement", "high_fluid_target")),
    Row("heart failure on furosemide", ("consultation", "consultation_24", "self_care"),
        plan_not=("high_fluid_target", "hydration", "extra_salt", *NEVER)),
    Row("I have stage 4 kidney disease and get leg cramps at night", ("consultation", "consultation_24"),
        top3=("kidney_disease",), plan_not=("potassium_rich_foods", *SUPPLEMENTS, "high_fluid_target")),
    Row("I'm 55 with liver cirrhosis and get painful cramps in my hands and legs",
        ("consultation", "consultation_24"), top3=("liver_cirrhosis",),
        plan_not=("extra_salt", "high_fluid_target", "magnesium_supplement")),
    Row("I'm 40, type 1 diabetes, burning feet and cramps at night", ("consultation", "consultation_24"),
        top3=("diabetes",), plan_not=("heat_therapy",)),
    Row("I'm 50, I use a salmeterol inhaler and get cramps at night", ("consultation", "self_care"),
        top3=("medication",), plan_not=NEVER),
    Row("I'm 58, I've been on omeprazole for years and I get cramps", ("consultation", "self_care"),
        top3=("medication",), plan_not=("magnesium_supplement", *NEVER)),
    Row("I'm 64, I drink 40 units a week and get cramps", ("consultation", "self_care"),
        top3=("alcohol",), plan_has=("limit_alcohol",)),
    # ---- self-care
    Row("I'm 70, calf cramps at night twice a week, stretching helps, no swelling", ("self_care",),
        top3=("nocturnal_idiopathic",), plan_has=("calf_stretch_routine",), plan_not=(*SUPPLEMENTS, *NEVER),
        no_flags=("dvt_signs",)),
    Row("I'm 30, healthy, occasional calf cramp at night, goes in a minute with stretching", ("self_care",),
        top3=("nocturnal_idiopathic",), plan_has=("stretch_during_cramp",), plan_not=NEVER),
    Row("I'm 35, calf cramp after running, goes in a minute", ("self_care",), top3=("exercise_associated",),
        plan_has=("stretch_during_cramp",), no_flags=("rhabdomyolysis", "compartment_syndrome")),
    Row("24 weeks pregnant, night cramps", ("self_care", "consultation"), top3=("pregnancy",),
        plan_not=("magnesium_supplement", "quinine")),
    Row("I'm 70, on warfarin, frequent night cramps", ("self_care", "consultation"),
        top3=("nocturnal_idiopathic",), plan_not=("vitamin_k2", *NEVER)),
    Row("on warfarin, 70, frequent night cramps", ("self_care", "consultation"), plan_not=("vitamin_k2",)),
    Row("my son is 8 and wakes at night with pain in both legs, fine in the morning",
        ("self_care", "consultation"), top3=("growing_pains",), plan_not=(*SUPPLEMENTS, *NEVER)),
    Row("I'm 72, I take Lasix, calf cramps at night, my legs look the same, no swelling",
        ("self_care", "consultation"), top3=("nocturnal_idiopathic",),
        plan_not=("stop_medication", "potassium_supplement"), no_flags=("dvt_signs", "pe_signs")),
]


def _param(row: Row) -> object:
    marks: list[pytest.MarkDecorator] = []  # row.bug records a fixed bug this row guards against
    return pytest.param(row, id=row.text[:50], marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_narrative(row: Row) -> None:
    a = assess_text(row.text)
    flags = [f.id for f in a.red_flags]
    factors = [f.id for f in a.factors]
    plan = [p.id for p in a.plan]
    summary = f"triage={a.triage.level} flags={flags} factors={factors[:5]} plan={plan}"
    assert a.triage.level in row.triage, summary
    for flag in row.flags:
        assert flag in flags, f"missing red flag {flag}: {summary}"
    for flag in row.no_flags:
        assert flag not in flags, f"unexpected red flag {flag}: {summary}"
    for factor in row.top3:
        assert factor in factors[:3], f"{factor} not in top 3: {summary}"
    for item in row.plan_has:
        assert item in plan, f"{item} missing from plan: {summary}"
    for item in (*row.plan_not, *NEVER):
        assert item not in plan, f"{item} must not be in plan: {summary}"


def test_table_is_big_enough_and_covers_every_level() -> None:
    assert len(ROWS) >= 30
    levels = {assess_text(row.text).triage.level for row in ROWS if not row.bug}
    assert levels >= {"emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"}


@pytest.mark.parametrize("row", [_param(r) for r in ROWS if not r.bug][:12])
def test_red_flags_come_with_reasons_and_sources(row: Row) -> None:
    a = assess_text(row.text)
    for flag in a.red_flags:
        assert flag.because, f"{flag.id} has no reason"
        assert flag.sources, f"{flag.id} has no source"
        assert urgency(flag.level) >= urgency(a.triage.level), "triage is less urgent than one of its flags"
    assert a.triage.because, "the triage gives no reason"
    for key in (*a.triage.sources, *(s for f in a.factors for s in f.sources)):
        assert key in a.sources, f"cited key {key} missing from the Sources list"


# ---------------------------------------------------------------- structured profiles
def test_profile_with_finding_ids() -> None:
    a = assess_profile({"age": 67, "sex": "male",
                        "findings": {"timing_night": "present", "muscle_calf": "present", "leg_swelling": "absent"}})
    assert a.triage.level == "self_care"
    assert a.factors[0].id == "nocturnal_idiopathic"
    assert a.profile.age == 67
    assert a.profile.sex == "male"


def test_profile_red_flag_from_finding_ids() -> None:
    a = assess_profile({"findings": {"leg_pale_cold": "present", "pain_sudden": "present"}})
    assert a.triage.level == "emergency_ambulance"
    assert "acute_limb_ischemia" in [f.id for f in a.red_flags]


def test_profile_conditions_and_symptoms_lists() -> None:
    a = assess_profile({"age": 60, "conditions": ["dialysis"], "symptoms": ["timing_night"]})
    assert "dialysis" in [f.id for f in a.factors][:3]
    assert not {"potassium_rich_foods", "potassium_supplement", "high_fluid_target"} & {p.id for p in a.plan}


def test_profile_absent_overrides_list() -> None:
    a = assess_profile({"symptoms": ["leg_swelling"], "findings": {"leg_swelling": "absent"}})
    assert a.profile.findings["leg_swelling"].status == "absent"


def test_profile_medicines_by_brand_and_generic() -> None:
    a = assess_profile({"age": 67, "medicines": ["Lasix", "lipitor", "Ventolin", "omeprazole"],
                        "findings": {"timing_night": "present"}})
    classes = [m.drug_class for m in a.medications]
    assert "loop_diuretic" in classes
    assert "statin" in classes
    assert "proton_pump_inhibitor" in classes
    lasix = next(m for m in a.medications if m.drug_class == "loop_diuretic")
    assert lasix.mentioned == "Lasix"
    assert lasix.id == "furosemide"


def test_profile_medicine_change_makes_new_drug_onset() -> None:
    a = assess_profile({"age": 68, "findings": {"timing_night": "present"},
                        "medicines": [{"name": "bendroflumethiazide", "change": "started", "days_since_change": 21}]})
    assert "new_drug_onset" in [f.id for f in a.red_flags]
    assert "medication" in [f.id for f in a.factors][:3]
    assert "stop_medication" not in [p.id for p in a.plan]


def test_profile_labs_with_units() -> None:
    a = assess_profile({"age": 70, "findings": {"timing_night": "present"},
                        "labs": [{"analyte": "potassium", "value": 3.0, "unit": "mmol/L"},
                                 {"analyte": "magnesium", "value": 1.6, "unit": "mg/dL"}]})
    labs = {lab["analyte"]: lab for lab in a.labs}
    assert labs["potassium"]["status"] == "low"
    assert labs["magnesium"]["value_si"] == pytest.approx(0.658, abs=0.01)
    assert "electrolyte_imbalance" in [f.id for f in a.factors][:3]


def test_profile_critical_potassium_is_urgent() -> None:
    a = assess_profile({"conditions": ["kidney_disease"], "symptoms": ["muscle_weakness"],
                        "labs": [{"analyte": "potassium", "value": 7.1, "unit": "mmol/L"}]})
    assert urgency(a.triage.level) <= urgency("emergency"), a.triage.level
    assert "potassium_rich_foods" not in [p.id for p in a.plan]


def test_profile_pregnancy_weeks_sets_pregnant() -> None:
    a = assess_profile({"age": 31, "pregnancy_weeks": 28, "findings": {"timing_night": "present"}})
    assert a.profile.pregnant is True
    assert "pregnancy" in [f.id for f in a.factors][:3]
    assert "magnesium_supplement" not in [p.id for p in a.plan]


def test_profile_with_text_and_fields() -> None:
    a = assess_profile({"text": "calf cramps at night", "age": 71})
    assert a.profile.age == 71
    assert a.profile.has("timing_night")


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"age": False}, "'age' must be a number"),
        ({"age": 200}, "between 0 and 120"),
        ({"age": "67"}, "'age' must be a number"),
        ({"colour": "blue"}, "unknown profile field(s): colour"),
        ({"findings": {"not_a_finding": "present"}}, "unknown finding 'not_a_finding'"),
        ({"findings": {"timing_night": "yes"}}, "must be present, absent or uncertain"),
        ({"findings": ["timing_night"]}, "'findings' must be an object"),
        ({"symptoms": "timing_night"}, "'symptoms' must be a list"),
        ({"sex": "x"}, "'sex' must be 'female' or 'male'"),
        ({"pregnant": "yes"}, "'pregnant' must be true or false"),
        ({"pregnancy_weeks": 60}, "'pregnancy_weeks' must be between"),
        ({"subject": "dog"}, "'subject' must be one of"),
        ({"medicines": "Lasix"}, "'medicines' must be a list"),
        ({"medicines": ["xyzzyplugh"]}, "I do not recognise the medicine 'xyzzyplugh'"),
        ({"medicines": [{"name": "Lasix", "change": "sometimes"}]}, "medicine change must be"),
        ({"medicines": [{"dose": "40 mg"}]}, "each medicine must be a name"),
        ({"labs": {"potassium": 3}}, "'labs' must be a list"),
        ({"labs": [{"analyte": "potassium"}]}, "each lab needs 'analyte' and 'value'"),
        ({"labs": [{"analyte": "potassium", "value": "3.1"}]}, "must be a number"),
        ({"measures": {"cramps_per_week": "3"}}, "'measures' must map names to numbers"),
        ({"text": 5}, "'text' must be a string"),
    ],
)
def test_profile_input_errors(profile: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as info:
        assess_profile(profile)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("value", [[1, 2], "a profile", 42, None])
def test_profile_must_be_an_object(value: object) -> None:
    with pytest.raises(InputError, match="a profile must be a JSON object"):
        assess_profile(value)  # type: ignore[arg-type]


REMEDY_BUG = ("structured medicines go through the free-text reader, which drops remedy/unclassed medicines "
              "(REMEDY_CLASSES: quinine, supplements, class none) without a verb of use, so "
              "assess_profile({'medicines': ['quinine']}) raises \"I do not recognise the medicine 'quinine'\"")


@pytest.mark.parametrize(("name", "med_id"), [("quinine", "quinine"), ("aspirin", "aspirin"),
                                              ("paracetamol", "paracetamol"),
                                              ("potassium chloride", "potassium_chloride")])
def test_profile_accepts_every_packaged_medicine(name: str, med_id: str) -> None:
    a = assess_profile({"age": 70, "medicines": [name], "findings": {"timing_night": "present"}})
    assert med_id in [m.id for m in a.profile.medicines]


def test_profile_quinine_by_text_sets_the_review_floor() -> None:
    a = assess_profile({"text": "I take quinine every night for cramps", "age": 70})
    assert "quinine" in [m.drug_class for m in a.medications]
    assert urgency(a.triage.level) <= urgency("consultation")
    assert "quinine" not in [p.id for p in a.plan]
