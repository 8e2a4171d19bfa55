"""Checks over the hand-written knowledge files in src/crampwise/kb/data/.

Covers references.yaml, drug_classes.yaml, medicines.yaml, topics.yaml, foods.yaml and
seed_checklist.yaml. The files are read with yaml.safe_load only, so these tests do not depend on
the loader or the engine.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from crampwise.testing import read_vocabulary as _read_vocabulary

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "crampwise" / "kb" / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared"
VOCABULARY = SHARED / "evaluation" / "vocabulary.yaml"
BRIEF = SHARED / "knowledge" / "clinical-brief.md"
SEEDS = SHARED / "seeds"

VERIFICATION = {"P", "S", "M"}
ASSOCIATION = {"strong", "moderate", "weak", "none"}
EVIDENCE = {"A", "B", "C", "D", "X"}
ROUTES = {"oral", "inhaled", "injection", "iv", "topical"}
CONDITIONS = {
    "diabetes",
    "hypothyroidism",
    "heart_failure",
    "hypertension",
    "asthma",
    "copd",
    "kidney_disease",
    "osteoporosis",
    "parkinsons",
    "dementia",
    "epilepsy",
    "depression",
    "tuberculosis",
    "cancer",
    "high_cholesterol",
    "gerd",
    "motor_neuron_disease",
    "statin_interacting_drug",  # not a condition, but what the medicine tells us (rhabdomyolysis risk)
    "diuretic",  # "water tablets" with no name: a diuretic of unknown kind
    "cramp_medicine",
}
TEST_IDS = {
    "u_and_e_egfr",
    "magnesium",
    "calcium_albumin",
    "phosphate_pth",
    "glucose_hba1c",
    "tsh",
    "ck",
    "lft",
    "vitamin_d",
    "abpi",
    "dvt_ultrasound",
    "nerve_conduction",
    "lumbar_mri",
    "ferritin",
}
EXTRA_CLASSES = {
    "vitamin_k_antagonist",
    "doac",
    "beta_blocker",
    "thyroid_hormone",
    "antidiabetic",
    "digoxin",
    "potassium_supplement",
    "magnesium_supplement",
    "calcium_supplement",
    "other_antihypertensive",
}
REQUIRED_TOPICS = {
    "kidney-electrolytes",
    "potassium",
    "magnesium",
    "calcium",
    "sodium",
    "hydration",
    "stretching",
    "night-cramps",
    "exercise-cramps",
    "pregnancy",
    "dialysis",
    "cirrhosis",
    "quinine",
    "red-flags",
    "medicines",
    "statins",
    "diuretics",
    "inhalers",
    "ppi",
}
# Brands marked with a dagger (seen in a retrieved source) in the brief, section 3.2.
DAGGER_BRANDS = {
    "Ventolin",
    "Proventil",
    "Brethine",
    "Microzide",
    "Oretic",
    "Zaroxolyn",
    "Diuril",
    "Lasix",
    "Bumex",
    "Demadex",
    "Edecrin",
    "Mevacor",
    "Evista",
    "Forteo",
    "Venofer",
    "Premarin",
    "Cenestin",
    "Enjuvia",
    "Naprosyn",
    "Celebrex",
    "Prilosec",
    "Nexium",
    "Prevacid",
    "Dexilant",
    "Protonix",
    "AcipHex",
    "Zegerid",
    "Vimovo",
    "Procardia",
    "Aricept",
    "Tasmar",
    "Lyrica",
    "Neurontin",
    "Ambien",
    "Klonopin",
    "Celexa",
    "Qualaquin",
}
# Ordinary words or first names that must never be used as brand names (false matches). "Yasmin" is
# deliberately allowed: missing a combined-pill user with clot symptoms is worse than a false match.
FORBIDDEN_BRANDS = {
    "today",
    "plan",
    "plan b",
    "tums",
    "sonata",
    "hana",
    "olena",
    "rayos",
    "one-alpha",
}
MAX_POINT = 400

STOP_ADVICE = re.compile(r"\b(stop|skip|discontinue|quit)\s+(taking|using|your|the|it|them|this)\b", re.I)
ALLOWED_BEFORE_STOP = re.compile(r"\b(do not|don't|never|not)\s+$", re.I)
QUININE_ADVICE = [
    re.compile(p, re.I)
    for p in (
        r"\b(try|consider|use|sip|drink)\s+(some\s+|a\s+glass\s+of\s+)?(quinine|tonic water|bitter lemon)\b",
        r"\b(quinine|tonic water|bitter lemon)\s+(can|may|will|should|could)\s+"
        r"(help|ease|relieve|prevent|stop)\b",
        r"\b(recommend\w*|suggest\w*|advis\w*)\s+(taking\s+|using\s+|drinking\s+)?(quinine|tonic)\b",
        r"\b(quinine|tonic water)\s+is\s+(a\s+)?(good|safe|effective|useful)\b",
    )
]
# Facts the brief marks UNVERIFIED; none may be stated in user-facing text.
UNVERIFIED_SNIPPETS = [
    "apricot",
    "4,700",
    "4700 mg",
    "3,500 mg",
    "700 mg a day",
    "1,000 mg",
    "1,200 mg",
    "oxaliplatin",
    "into cells",
    "neuropathy from vitamin b6",
    "2.6%",
]


def _load(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def references() -> dict[str, Any]:
    return _load("references.yaml")


@cache
def drug_classes() -> dict[str, Any]:
    return _load("drug_classes.yaml")


@cache
def medicines() -> dict[str, Any]:
    return _load("medicines.yaml")


@cache
def topics() -> dict[str, Any]:
    return _load("topics.yaml")


@cache
def foods() -> dict[str, Any]:
    return _load("foods.yaml")


@cache
def seed_checklist() -> list[dict[str, Any]]:
    return _load("seed_checklist.yaml")


def _parse_vocabulary_lines(text: str) -> dict[str, dict[str, str]]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vocabulary.yaml"
        path.write_text(text, encoding="utf-8")
        return _read_vocabulary(path)

@cache
def vocabulary() -> dict[str, dict[str, str]]:
    if not VOCABULARY.exists():
        pytest.skip(f"vocabulary not found at {VOCABULARY}")
    text = VOCABULARY.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        data = _parse_vocabulary_lines(text)
    return {section: dict(items or {}) for section, items in data.items()}


def _vocab_ids() -> set[str]:
    voc = vocabulary()
    return set().union(*(set(voc[s]) for s in ("red_flags", "factors", "drug_classes", "advice")))


def _class_sources() -> list[tuple[str, list[str]]]:
    out = []
    for cid, c in drug_classes().items():
        out.append((f"drug_classes.{cid}", c["sources"]))
        for i, s in enumerate(c["safety"]):
            out.append((f"drug_classes.{cid}.safety[{i}]", s["sources"]))
    return out


def _topic_points() -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{slug}/{section['heading']}", point)
        for slug, topic in topics().items()
        for section in topic["sections"]
        for point in section["points"]
    ]


def _user_texts() -> list[tuple[str, str]]:
    """Every text a user may read, with where it came from."""
    out: list[tuple[str, str]] = []
    for slug, topic in topics().items():
        out.append((f"topics.{slug}.title", topic["title"]))
        out.append((f"topics.{slug}.summary", topic["summary"]))
    out += [(f"topics.{where}", point["text"]) for where, point in _topic_points()]
    for cid, c in drug_classes().items():
        for key in ("name", "lay_name", "mechanism", "message"):
            out.append((f"drug_classes.{cid}.{key}", c[key]))
        out += [(f"drug_classes.{cid}.safety", s["text"]) for s in c["safety"]]
    out += [("foods.notes", note["text"]) for note in foods()["notes"]]
    for i, item in enumerate(seed_checklist()):
        if item["correction"]:
            out.append((f"seed_checklist[{i}].correction", item["correction"]))
    return out


def _all_cited() -> list[tuple[str, list[str]]]:
    cited = _class_sources()
    cited += [(f"topics.{where}", point["sources"]) for where, point in _topic_points()]
    food = foods()
    cited += [(f"foods.{m}", food[m]["sources"]) for m in ("potassium", "magnesium", "calcium")]
    cited += [("foods.notes", note["sources"]) for note in food["notes"]]
    cited += [(f"seed_checklist[{i}]", item["sources"]) for i, item in enumerate(seed_checklist())]
    return cited


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


# ------------------------------------------------------------------------------------ references


def test_reference_schema() -> None:
    refs = references()
    assert len(refs) >= 150
    for key, ref in refs.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9-]+", key), key
        fields = {"authors", "year", "title", "venue", "doi", "pmid", "url", "verification"}
        # withheld: weak, never shown; origin: "added" for a source the brief does not list
        assert set(ref) - {"withheld", "origin"} == fields, key
        assert ref.get("origin", "added") == "added", key
        assert isinstance(ref["title"], str), key
        assert ref["title"].strip(), key
        assert ref["verification"] in VERIFICATION, key
        assert ref["year"] is None or (isinstance(ref["year"], int) and 1900 < ref["year"] < 2100), key
        for field in ("authors", "venue", "doi", "pmid", "url"):
            assert ref[field] is None or (isinstance(ref[field], str) and ref[field].strip()), (key, field)
        if ref["doi"]:
            assert ref["doi"].startswith("10."), key
        if ref["pmid"]:
            assert ref["pmid"].isdigit(), key
        if ref["url"]:
            assert ref["url"].startswith("https://"), key


def test_every_brief_key_is_in_references() -> None:
    if not BRIEF.exists():
        pytest.skip(f"brief not found at {BRIEF}")
    text = BRIEF.read_text(encoding="utf-8")
    section = text.split("## 10.", 1)[1].split("## 11.", 1)[0]
    keys: set[str] = set()
    for line in section.splitlines():
        row = re.match(r"^\| ([A-Z0-9][A-Z0-9\-, ]+?) \|", line)
        if row and row.group(1) != "Key":
            keys.update(k.strip() for k in row.group(1).split(","))
    assert len(keys) > 100
    refs = references()
    assert keys - set(refs) == set()
    # anything beyond the brief is marked as added, so a reviewer knows to check it
    assert {k for k in set(refs) - keys if refs[k].get("origin") != "added"} == set()


def test_known_references() -> None:
    refs = references()
    garrison = refs["GARRISON2012"]
    assert garrison["year"] == 2012
    assert garrison["doi"] == "10.1001/archinternmed.2011.1029"
    assert garrison["pmid"] == "22157068"
    assert garrison["verification"] == "P"
    assert refs["NHS-LC"]["verification"] == "S"
    assert refs["CKS2012"]["verification"] == "P"
    assert refs["AAFP2012"]["verification"] == "S"  # "P (abstract) / S (body)": the weakest wins
    assert refs["COCHRANE-MG2020"]["doi"] == "10.1002/14651858.CD009402.pub3"


def test_every_citation_exists() -> None:
    refs = references()
    missing = [(where, key) for where, keys in _all_cited() for key in keys if key not in refs]
    assert missing == []


# ---------------------------------------------------------------------------------- drug classes


def test_vocabulary_drug_classes_are_defined() -> None:
    classes = drug_classes()
    vocab_classes = set(vocabulary()["drug_classes"])
    assert len(vocab_classes) >= 25
    assert vocab_classes - set(classes) == set()
    for cid in vocab_classes:
        assert classes[cid]["in_vocabulary"] is True, cid
    assert EXTRA_CLASSES - set(classes) == set()
    for cid in set(classes) - vocab_classes:
        assert classes[cid]["in_vocabulary"] is False, cid


def test_drug_class_schema() -> None:
    keys = {
        "name",
        "lay_name",
        "in_vocabulary",
        "cramp_association",
        "evidence",
        "garrison_asr",
        "mechanism",
        "message",
        "safety",
        "raises_potassium",
        "sources",
    }
    for cid, c in drug_classes().items():
        assert keys <= set(c) <= keys | {"cramps_after_days"}, cid
        assert isinstance(c.get("cramps_after_days", 0), int), cid
        assert c["cramp_association"] in ASSOCIATION, cid
        assert c["evidence"] in EVIDENCE, cid
        assert isinstance(c["raises_potassium"], bool), cid
        assert c["sources"], cid
        assert "prescriber or pharmacist" in c["message"].lower(), cid
        for s in c["safety"]:
            assert set(s) == {"text", "sources"}, cid
            assert s["text"].strip(), cid
            assert s["sources"], cid


def test_garrison_ratios() -> None:
    expected = {
        "long_acting_beta2_agonist": 2.42,
        "potassium_sparing_diuretic": 2.12,
        "thiazide_diuretic": 1.48,
        "loop_diuretic": 1.20,
        "statin": 1.16,
    }
    for cid, c in drug_classes().items():
        asr = c["garrison_asr"]
        if cid in expected:
            assert asr["value"] == pytest.approx(expected[cid]), cid
            assert set(asr) == {"value", "ci", "p", "note"}, cid
            assert "GARRISON2012" in c["sources"], cid
        else:
            assert asr is None, cid
    assert "not statistically significant" in drug_classes()["loop_diuretic"]["garrison_asr"]["note"].lower()
    note = drug_classes()["long_acting_beta2_agonist"]["garrison_asr"]["note"]
    assert "2.17" in note
    assert "2.55" in note


def test_strength_ranking_follows_brief() -> None:
    classes = drug_classes()
    assert classes["long_acting_beta2_agonist"]["cramp_association"] == "strong"
    assert classes["potassium_sparing_diuretic"]["cramp_association"] == "strong"
    assert classes["thiazide_diuretic"]["cramp_association"] == "moderate"
    assert classes["loop_diuretic"]["cramp_association"] == "weak"
    assert classes["statin"]["cramp_association"] == "weak"
    for cid in ("ace_inhibitor", "arb", "quinine"):
        assert classes[cid]["cramp_association"] == "none", cid
    assert classes["quinine"]["evidence"] == "X"


def test_potassium_raising_classes() -> None:
    raising = {cid for cid, c in drug_classes().items() if c["raises_potassium"]}
    assert raising == {"ace_inhibitor", "arb", "potassium_sparing_diuretic", "nsaid", "potassium_supplement"}
    for cid in raising:
        text = " ".join(s["text"] for s in drug_classes()[cid]["safety"]).lower()
        assert "salt substitute" in text or "potassium" in text, cid


@pytest.mark.parametrize(
    ("cid", "needle", "source"),
    [
        ("serm", "clot", "EVISTA-LABEL"),
        ("estrogen", "clot", "GSTT-DVT"),
        ("statin", "dark", "PRACTICENURSE-RHABDO"),
        ("proton_pump_inhibitor", "magnesium", "FDA-PPI"),
        ("thiazide_diuretic", "magnesium", "FDA-PPI"),
        ("loop_diuretic", "magnesium", "FDA-PPI"),
        ("digoxin", "magnesium", "FDA-PPI"),
        ("pth_analogue", "16 hours", "LILLY-FORTEO"),
        ("ace_inhibitor", "salt substitutes", "KRUK-HYPERK"),
        ("arb", "salt substitutes", "KRUK-HYPERK"),
        ("potassium_sparing_diuretic", "salt substitutes", "KRUK-HYPERK"),
        ("nsaid", "salt substitutes", "KRUK-HYPERK"),
        ("quinine", "bruising", "FDA-QUININE2010"),
        ("quinine", "hearing", "MHRA-QUININE2010"),
        ("vitamin_k_antagonist", "vitamin k2", "TAN2024"),
        ("magnesium_supplement", "kidney", "IOM-DRI1997"),
    ],
)
def test_safety_cross_links(cid: str, needle: str, source: str) -> None:
    hits = [s for s in drug_classes()[cid]["safety"] if needle in s["text"].lower()]
    assert hits, f"{cid}: no safety text mentions {needle!r}"
    assert any(source in s["sources"] for s in hits), cid


# ------------------------------------------------------------------------------------- medicines


def test_medicine_schema() -> None:
    classes = drug_classes()
    meds = medicines()
    assert len(meds) >= 150
    keys = {
        "class",
        "names",
        "brands",
        "misspellings",
        "brand_verified",
        "combination_of",
        "implies",
        "route",
    }
    for gid, med in meds.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", gid), gid
        assert set(med) == keys, gid
        assert med["class"] == "none" or med["class"] in classes, gid
        assert set(med["brands"]) == {"us", "uk", "intl"}, gid
        assert med["route"] in ROUTES, gid
        assert set(med["implies"]) <= CONDITIONS, gid
        for part in med["combination_of"]:
            assert part in meds, (gid, part)
            assert part != gid, gid
        brands = {b for market in med["brands"].values() for b in market}
        assert set(med["brand_verified"]) <= brands, gid
        for value in med["names"] + med["misspellings"] + sorted(brands):
            assert isinstance(value, str), gid
            assert value.strip(), gid


def test_every_vocabulary_class_is_recognisable() -> None:
    meds = medicines()
    for cid in vocabulary()["drug_classes"]:
        members = [m for m in meds.values() if m["class"] == cid]
        assert members, cid
        assert any(any(m["brands"].values()) and m["misspellings"] for m in members), (
            f"{cid}: needs a medicine with a brand and a misspelling"
        )


def test_classed_medicines_have_misspellings() -> None:
    for gid, med in medicines().items():
        if med["class"] != "none" and not gid.endswith("_unspecified"):  # "a statin": nothing to misspell
            assert len(set(map(_norm, med["misspellings"]))) >= 2, gid


def test_terms_are_unambiguous() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for gid, med in medicines().items():
        terms = [gid.replace("_", " "), *med["names"], *med["misspellings"]]
        terms += [b for market in med["brands"].values() for b in market]
        for term in terms:
            owners[_norm(term)].add(gid)
        real = {_norm(t) for t in terms if t not in med["misspellings"]}
        assert not real & {_norm(m) for m in med["misspellings"]}, f"{gid}: a misspelling is a real name"
    clashes = {term: ids for term, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


def test_no_common_word_brands() -> None:
    for gid, med in medicines().items():
        for brand in (b for market in med["brands"].values() for b in market):
            assert _norm(brand) not in FORBIDDEN_BRANDS, (gid, brand)
            assert len(brand) >= 3, (gid, brand)


# Everyday words people use when describing cramps, exercise or health. No single-word medicine term
# may sit so close to one of them that a fuzzy spelling match (ratio >= 84, same first two letters,
# as the text matcher uses) would turn the word into a medicine.
EVERYDAY_WORDS = [
    "breathing",
    "control",
    "program",
    "buffer",
    "mitigate",
    "performs",
    "shorten",
    "shorter",
    "desired",
    "covers",
    "predispose",
    "ultra",
    "violin",
    "foster",
    "limiter",
    "inline",
    "approval",
    "parent",
    "levels",
    "lyrics",
    "alive",
    "leave",
    "internal",
    "secure",
    "concern",
    "stretching",
    "standing",
    "walking",
    "running",
    "cycling",
    "swelling",
    "tingling",
    "numbness",
    "weakness",
    "twitching",
    "potassium",
    "calcium",
    "magnesium",
    "sodium",
    "vitamin",
    "dehydrated",
    "sweating",
    "tablets",
    "pills",
    "medicine",
    "doctor",
    "pharmacist",
    "nights",
    "morning",
    "evening",
    "muscle",
    "muscles",
    "calves",
    "thighs",
    "hamstring",
    "bananas",
    "yogurt",
    "spinach",
    "pickle",
    "tonic",
    "water",
    "coffee",
    "alcohol",
    "pregnant",
    "pregnancy",
    "kidney",
    "kidneys",
    "dialysis",
    "thyroid",
    "diabetes",
    "insulin resistance",
    "statins",
    "inhaler",
    "inhalers",
    "steroid",
    "steroids",
    "painkiller",
]


def test_terms_are_not_near_everyday_words() -> None:
    fuzz = pytest.importorskip("rapidfuzz.fuzz")
    terms: dict[str, str] = {}
    for gid, med in medicines().items():
        names = [gid.replace("_", " "), *med["names"], *med["misspellings"]]
        names += [b for market in med["brands"].values() for b in market]
        for name in names:
            words = re.findall(r"[a-z0-9]+", _norm(name).replace("-", " "))
            if len(words) == 1 and len(words[0]) >= 5 and words[0].isalpha():
                terms.setdefault(words[0], gid)
    near = []
    for word in (w for phrase in EVERYDAY_WORDS for w in phrase.split() if len(w) >= 5):
        if word in terms:
            continue
        for term, gid in terms.items():
            if term[:2] == word[:2] and fuzz.ratio(word, term) >= 84:
                near.append((word, term, gid))
    assert near == []


def test_dagger_brands_are_marked_verified() -> None:
    verified = {b for med in medicines().values() for b in med["brand_verified"]}
    assert verified == DAGGER_BRANDS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("furosemid", "furosemide"),
        ("furosimide", "furosemide"),
        ("lasiks", "furosemide"),
        ("frusemide", "furosemide"),
        ("Lasix", "furosemide"),
        ("lipator", "atorvastatin"),
        ("liptor", "atorvastatin"),
        ("atorvastatine", "atorvastatin"),
        ("omeprazol", "omeprazole"),
        ("ventalin", "albuterol"),
        ("salbutamol", "albuterol"),
        ("seratide", "fluticasone_salmeterol"),
        ("Seretide", "fluticasone_salmeterol"),
        ("Advair", "fluticasone_salmeterol"),
        ("Symbicort", "budesonide_formoterol"),
        ("Relvar", "fluticasone_vilanterol"),
        ("co-amilozide", "amiloride_hydrochlorothiazide"),
        ("Dyazide", "hydrochlorothiazide_triamterene"),
        ("Vimovo", "esomeprazole_naproxen"),
        ("acetaminophen", "paracetamol"),
        ("Qualaquin", "quinine"),
        ("Sando-K", "potassium_chloride"),
        ("Eliquis", "apixaban"),
        ("Yasmin", "ethinylestradiol_drospirenone"),
        ("kwinine", "quinine"),
        ("sisplatin", "cisplatin"),
        ("iron sucrous", "iron_sucrose"),
        ("lisinipril", "lisinopril"),
    ],
)
def test_recognition_examples(typed: str, expected: str) -> None:
    matches = set()
    for gid, med in medicines().items():
        terms = [gid.replace("_", " "), *med["names"], *med["misspellings"]]
        terms += [b for market in med["brands"].values() for b in market]
        if _norm(typed) in {_norm(t) for t in terms}:
            matches.add(gid)
    assert matches == {expected}


def test_combinations_and_classes() -> None:
    meds = medicines()
    assert set(meds["fluticasone_salmeterol"]["combination_of"]) == {"fluticasone", "salmeterol"}
    assert set(meds["budesonide_formoterol"]["combination_of"]) == {"budesonide", "formoterol"}
    assert set(meds["esomeprazole_naproxen"]["combination_of"]) == {"esomeprazole", "naproxen"}
    assert meds["paracetamol"]["class"] == "none"
    assert meds["aspirin"]["class"] == "none"
    assert meds["warfarin"]["class"] == "vitamin_k_antagonist"
    assert meds["levothyroxine"]["implies"] == ["hypothyroidism"]
    for gid in ("montelukast", "tiotropium", "allopurinol"):
        assert meds[gid]["class"] == "none", gid


# ---------------------------------------------------------------------------------------- topics


def test_required_topics() -> None:
    slugs = set(topics())
    assert REQUIRED_TOPICS - slugs == set()
    for cid in vocabulary()["drug_classes"]:
        assert f"medicine-{cid}" in slugs, cid


def test_topic_schema() -> None:
    slugs = set(topics())
    for slug, topic in topics().items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9_]+)*", slug), slug
        assert set(topic) == {"title", "summary", "sections", "related"}, slug
        assert topic["title"].strip(), slug
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", topic["summary"].strip()) if s]
        assert 1 <= len(sentences) <= 2, slug
        assert topic["sections"], slug
        for section in topic["sections"]:
            assert set(section) == {"heading", "points"}, slug
            assert section["heading"].strip(), slug
            assert section["points"], slug
            for point in section["points"]:
                assert set(point) == {"text", "sources"}, slug
                assert point["text"].strip(), slug
                assert point["sources"], slug
        assert set(topic["related"]) <= slugs - {slug}, slug


def test_kidney_electrolytes_topic_content() -> None:
    text = " ".join(p["text"] for _, p in _topic_points() if _.startswith("kidney-electrolytes/")).lower()
    for needle in ("low calcium", "low magnesium", "high potassium", "dialysis", "emergency", "egfr"):
        assert needle in text, needle


def test_magnesium_topic_states_cochrane_result() -> None:
    points = [p for where, p in _topic_points() if where.startswith("magnesium/")]
    assert any("COCHRANE-MG2020" in p["sources"] and "no better" in p["text"] for p in points)
    assert any("dialysis" in p["text"] and "IOM-DRI1997" in p["sources"] for p in points)


def test_hydration_topic_rejects_fixed_targets() -> None:
    text = " ".join(p["text"] for where, p in _topic_points() if where.startswith("hydration/")).lower()
    assert "half your body weight" in text
    assert "heart failure" in text
    assert "dialysis" in text


# -------------------------------------------------------------------------------- text safety


def test_no_advice_to_stop_medicines() -> None:
    offenders = []
    for where, text in _user_texts():
        for match in STOP_ADVICE.finditer(text):
            before = text[max(0, match.start() - 12) : match.start()]
            if not ALLOWED_BEFORE_STOP.search(before):
                offenders.append((where, text))
    assert offenders == []


def test_never_recommends_quinine_or_tonic_water() -> None:
    offenders = []
    for where, text in _user_texts():
        for rx in QUININE_ADVICE:
            for match in rx.finditer(text):
                before = text[max(0, match.start() - 12) : match.start()]
                if not ALLOWED_BEFORE_STOP.search(before):
                    offenders.append((where, text))
    assert offenders == []


def test_negation_guard_catches_bad_advice() -> None:
    """The safety regexes must flag real advice and let negated advice through."""
    bad = ["Stop taking your water tablet.", "Try tonic water at night.", "Quinine can help cramps."]
    good = ["Do not stop taking your water tablet.", "Never suggests quinine.", "Don't stop your statin."]

    def flagged(text: str) -> bool:
        for rx in (STOP_ADVICE, *QUININE_ADVICE):
            for match in rx.finditer(text):
                if not ALLOWED_BEFORE_STOP.search(text[max(0, match.start() - 12) : match.start()]):
                    return True
        return False

    assert all(flagged(t) for t in bad)
    assert not any(flagged(t) for t in good)


def test_no_unverified_facts_in_user_text() -> None:
    offenders = [
        (where, snippet)
        for where, text in _user_texts()
        for snippet in UNVERIFIED_SNIPPETS
        if snippet in text.lower()
    ]
    assert offenders == []


def test_points_are_short() -> None:
    too_long = [(w, len(t)) for w, t in _user_texts() if len(t) > MAX_POINT]
    too_long += [
        (f"seed {s['seed']}", len(s["point"])) for s in seed_checklist() if len(s["point"]) > MAX_POINT
    ]
    assert too_long == []


# ----------------------------------------------------------------------------------------- foods


def test_foods() -> None:
    food = foods()
    assert set(food) == {"potassium", "magnesium", "calcium", "notes"}
    for mineral in ("potassium", "magnesium", "calcium"):
        block = food[mineral]
        assert block["unit"] == "mg"
        assert block["sources"]
        assert len(block["items"]) >= 10, mineral
        for item in block["items"]:
            assert set(item) == {"food", "portion", "amount"}, item
            assert isinstance(item["amount"], int), item
            assert 0 < item["amount"] < 2000, item
            assert "apricot" not in item["food"].lower()
    assert {i["food"] for i in food["potassium"]["items"]} >= {"Banana", "Potato, baked, with skin"}
    notes = " ".join(n["text"] for n in food["notes"]).lower()
    for needle in ("kidney", "salt substitutes", "heart failure", "vitamin k2", "350 mg"):
        assert needle in notes, needle
    for note in food["notes"]:
        assert note["sources"], note


# -------------------------------------------------------------------------------- seed checklist


def test_seed_checklist_schema() -> None:
    items = seed_checklist()
    assert 60 <= len(items) <= 130
    seeds = {item["seed"] for item in items}
    assert seeds == {"000", "001", "002", "003", "004"}
    for i, item in enumerate(items):
        assert set(item) == {"seed", "point", "verdict", "correction", "ids", "sources"}, i
        assert item["verdict"] in {"covered", "corrected", "rejected"}, i
        assert item["point"].strip(), i
        if item["verdict"] in {"corrected", "rejected"}:
            assert item["correction"], i
            assert item["correction"].strip(), i
        if item["verdict"] in {"covered", "corrected"}:
            assert item["ids"], i
        assert isinstance(item["sources"], list), i
    for seed in seeds:
        assert sum(1 for item in items if item["seed"] == seed) >= 10, seed


def test_seed_files_exist() -> None:
    if not SEEDS.exists():
        pytest.skip(f"seeds not found at {SEEDS}")
    prefixes = {p.name[:3] for p in SEEDS.glob("*.txt")}
    assert {item["seed"] for item in seed_checklist()} == prefixes


def test_seed_checklist_ids_are_valid() -> None:
    vocab_ids = _vocab_ids()
    slugs = set(topics())
    bad = []
    for i, item in enumerate(seed_checklist()):
        for kid in item["ids"]:
            if kid.startswith("topic:"):
                ok = kid.removeprefix("topic:") in slugs
            elif kid.startswith("test:"):
                ok = kid.removeprefix("test:") in TEST_IDS
            else:
                ok = kid in vocab_ids
            if not ok:
                bad.append((i, kid))
    assert bad == []


@pytest.mark.parametrize(
    ("fragment", "verdict", "needle"),
    [
        ("half your body weight", "rejected", "heart failure"),
        ("magnesium citrate or glycinate", "rejected", "does not help"),
        ("magnesium supplement with your doctor", "corrected", "maternity"),
        ("sports drinks", "corrected", "salt"),
        ("statins are associated", "corrected", "small link"),
    ],
)
def test_key_seed_corrections(fragment: str, verdict: str, needle: str) -> None:
    hits = [s for s in seed_checklist() if fragment in s["point"].lower()]
    assert hits, fragment
    for item in hits:
        assert item["verdict"] == verdict, item["point"]
        assert needle in item["correction"].lower(), item["point"]
