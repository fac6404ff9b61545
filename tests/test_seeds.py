"""Loading and validating seed packs, including hostile ones."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from tui.errors import UserError
from tui.seeds import load_pack, role_word, validate_pack

ROOT = Path(__file__).resolve().parent.parent
RURITANIA = Path(__file__).parent / "fixtures" / "analysis" / "ruritania.toml"


def test_bundled_copy_is_identical_to_the_repo_pack() -> None:
    repo = ROOT / "seeds" / "afpak-2026.toml"
    bundled = ROOT / "tui" / "seeds" / "afpak-2026.toml"
    assert repo.read_bytes() == bundled.read_bytes()


def test_default_pack_loads_and_is_valid() -> None:
    pack = load_pack(None)
    assert pack.id == "afpak-2026"
    assert pack.parties == ("pakistan", "afghanistan")
    assert {"pakistan", "afghanistan", "third_party"} <= set(pack.sides)
    assert validate_pack(None) == []
    names = {e.name for e in pack.entities}
    assert {
        "Khawaja Muhammad Asif",
        "Mosharraf Zaidi",
        "Zabihullah Mujahid",
        "ISPR",
        "Durand Line",
        "UNAMA",
        "Reuters",
    } <= names
    people = [e for e in pack.entities if e.kind == "person"]
    assert all(e.role for e in people)


def test_explicit_path_loads_that_pack() -> None:
    assert load_pack(RURITANIA).parties == ("ruritania", "borduria")


def _one_line_error(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "bad.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_pack(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert validate_pack(path)  # the same problems, as a list
    return message


def test_bad_toml(tmp_path: Path) -> None:
    assert "not valid TOML" in _one_line_error(tmp_path, "[pack\nid = 1")


def test_not_utf8(tmp_path: Path) -> None:
    assert "UTF-8" in _one_line_error(tmp_path, b"\xff\xfe[pack]")


def test_unknown_side(tmp_path: Path) -> None:
    text = RURITANIA.read_text(encoding="utf-8").replace(
        'side = "borduria"\nrole', 'side = "narnia"\nrole'
    )
    message = _one_line_error(tmp_path, text)
    assert "entry 'rupert': side: unknown side 'narnia'" in message


def test_empty_aliases(tmp_path: Path) -> None:
    text = RURITANIA.read_text(encoding="utf-8").replace('aliases = ["Zenda"]', "aliases = []")
    assert "entry 'zenda': aliases: must not be empty" in _one_line_error(tmp_path, text)


def test_wrong_types(tmp_path: Path) -> None:
    text = RURITANIA.read_text(encoding="utf-8").replace('aliases = ["Zenda"]', 'aliases = "Zenda"')
    assert "entry 'zenda': aliases: must be a list" in _one_line_error(tmp_path, text)
    text = RURITANIA.read_text(encoding="utf-8").replace(
        '[[entity]]\nid = "zenda"', "[[entity]]\nid = 7"
    )
    assert "id: must be a string" in _one_line_error(tmp_path, text)
    assert "must be a table" in _one_line_error(tmp_path, 'pack = 3\nsides = "x"\n')


def test_invalid_and_huge_regexes(tmp_path: Path) -> None:
    base = RURITANIA.read_text(encoding="utf-8")
    bad = base.replace("strike = ['shell(?:ed|ing)',", "strike = ['shell(?:ed|ing',")
    assert "categories': strike: item 1 is not a valid regular expression" in _one_line_error(
        tmp_path, bad
    )
    huge = base.replace("strike = ['shell(?:ed|ing)',", "strike = ['" + "a|" * 400 + "b',")
    assert "is too long" in _one_line_error(tmp_path, huge)
    nested = base.replace("strike = ['shell(?:ed|ing)',", "strike = ['(a+)+b',")
    assert "nested repetition" in _one_line_error(tmp_path, nested)


def test_duplicate_alias_across_entities(tmp_path: Path) -> None:
    text = RURITANIA.read_text(encoding="utf-8").replace(
        'aliases = ["Zenda"]', 'aliases = ["Zenda", "Strelsau"]'
    )
    assert "'Strelsau' already belongs to entity 'strelsau'" in _one_line_error(tmp_path, text)


def test_unknown_kind_and_field(tmp_path: Path) -> None:
    text = RURITANIA.read_text(encoding="utf-8").replace(
        'kind = "place"\nside = "ruritania"\naliases = ["Zenda"]',
        'kind = "castle"\nside = "ruritania"\ncolour = "red"\naliases = ["Zenda"]',
    )
    problems = validate_pack(_write(tmp_path, text))
    assert any("entry 'zenda': kind: unknown kind 'castle'" in p for p in problems)
    assert any("entry 'zenda': colour: unknown field" in p for p in problems)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot read"):
        load_pack(tmp_path / "nope.toml")
    with pytest.raises(UserError, match="is a directory"):
        load_pack(tmp_path)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_ascii_view_has_the_same_entities_and_fewer_alternatives() -> None:
    pack = load_pack(None)
    lean = pack.ascii
    assert lean is not None
    assert [e.id for e in lean.entities] == [e.id for e in pack.entities]
    assert len(lean.alias_ci.pattern) < len(pack.alias_ci.pattern)
    assert len(lean.strike.pattern) < len(pack.strike.pattern)


def test_native_script_lexicon_entries_are_folded() -> None:
    pack = load_pack(None)
    # written with Urdu heh goal (ہ); the text is folded to Arabic heh (ه)
    assert pack.outcome_verbs["killed"].search("23 جوان شهید") is not None


def test_unknown_placeholder(tmp_path: Path) -> None:
    text = RURITANIA.read_text(encoding="utf-8").replace(
        "[relevance]", "[relevance]\none_party_terms = ['near (?:{place:nowhere})']", 1
    )
    message = _one_line_error(tmp_path, text)
    assert "unknown placeholder {place:nowhere}" in message


def test_mediator_role_and_its_placeholder(tmp_path: Path) -> None:
    pack = load_pack(None)
    mediators = {pack.entities[i].id for i in pack.mediators}
    assert {"qatar", "turkey"} <= mediators
    assert "iran" not in mediators and "india" not in mediators
    assert role_word("mediator (host of the Doha talks)") == "mediator"
    assert role_word("") == ""
    # {role:<word>} names the aliases of the entities with that role
    text = RURITANIA.read_text(encoding="utf-8").replace(
        "[relevance]", "[relevance]\nmediated_terms = ['talks in (?:{role:nobody})']", 1
    )
    assert "unknown placeholder {role:nobody}" in _one_line_error(tmp_path, text)


def test_victim_class_flags_are_checked(tmp_path: Path) -> None:
    assert any(v.attackers for v in load_pack(None).victims)
    base = (ROOT / "seeds" / "afpak-2026.toml").read_text(encoding="utf-8")
    bad = base.replace("attackers = true", 'attackers = "yes"', 1)
    assert "attackers: must be true or false" in _one_line_error(tmp_path, bad)


def test_moves_naming_a_third_party_are_gated_by_its_mention() -> None:
    pack = load_pack(None)
    assert pack.moves_ungated is not None
    assert "third_party" in pack.moves_gate
    # entries naming a third party ("{side:third_party} condemns") are what it leaves out
    assert pack.moves_ungated.pattern.count("qatar") < pack.moves_all.pattern.count("qatar")


def test_lazily_compiled_patterns_match_an_eager_build() -> None:
    import re
    import threading
    from dataclasses import fields

    from tui.seeds import _build, _read

    def sources(value: object) -> object:
        if isinstance(value, re.Pattern):
            return value.pattern
        if isinstance(value, tuple):
            return tuple(sources(v) for v in value)
        if isinstance(value, Mapping):
            return {k: sources(v) for k, v in value.items()}
        return value

    name, data = _read(None)
    eager, problems = _build(name, data, lazy=False, lean=False)
    assert eager is not None and not problems
    lazy = load_pack(None)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(lazy.strike)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(p) for p in got}) == 1  # compiled once, shared
    for f in fields(eager):
        if f.name not in ("ascii", "_pending"):
            assert sources(getattr(lazy, f.name)) == sources(getattr(eager, f.name)), f.name
