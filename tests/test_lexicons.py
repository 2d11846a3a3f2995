"""The enrich stage's word lists are data files in the package, read once per process."""

from __future__ import annotations

from importlib.resources import files

from tasks.enrich import lexicons, nlp_gazetteer, taxonomy


def _data_files() -> list[str]:
    return sorted(p.name for p in files(lexicons).iterdir() if p.name.endswith(".txt"))


def test_every_list_says_what_it_is_where_it_comes_from_and_its_licence() -> None:
    names = _data_files()
    assert "countries.txt" in names and "subjects-en.txt" in names
    for name in names:
        text = files(lexicons).joinpath(name).read_text(encoding="utf-8")
        header = [line for line in text.splitlines() if line.startswith("#")]
        assert text.startswith("# "), name
        assert any("Source:" in line for line in header), name
        assert any("Licence:" in line for line in header), name
        assert lexicons.entries(name.removesuffix(".txt")), name


def test_entries_aliases_and_sections() -> None:
    countries = lexicons.entries("countries")
    assert countries[0] == "Afghanistan" and not any(e.startswith("#") for e in countries)
    assert lexicons.entries("countries") is countries  # read once per process
    uk = lexicons.aliases("countries")
    assert uk["UK"] == uk["Britain"] == "United Kingdom"
    topics = lexicons.sections("subjects-de")
    assert set(topics) <= set(taxonomy.TAXONOMY) and "polizei^" in topics["crime"]


def test_the_tagger_and_the_classifier_use_them() -> None:
    assert nlp_gazetteer.GAZETTEER["Kyiv"] == ("Kyiv", "GPE")
    assert nlp_gazetteer.GAZETTEER["Kiev"] == ("Kyiv", "GPE")
    assert "Inc." in nlp_gazetteer.ORG_SUFFIXES and "Monday" in nlp_gazetteer.NOT_NAMES
    assert set(taxonomy.LEXICONS) == {"en", "de", "fr", "es", "it", "pt", "nl"}
    top = taxonomy.classify("Police arrested the suspect after the robbery, the court heard.", None)
    assert top and top[0][0] == "crime"
