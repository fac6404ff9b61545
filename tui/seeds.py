"""Conflict seed packs: ``seeds/*.toml`` → a validated, precompiled ``SeedPack``.

A pack names the sides of a conflict, its entities (with aliases in any script)
and the lexicons the analysis reads. Everything is checked on load; a bad pack
stops with one line naming the file, the entry, the field and what is wrong.
"""

from __future__ import annotations

import importlib.resources
import re
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from tui.analysis.fold import (
    alias_key,
    bounded,
    fold,
    fold_pattern,
    grouped_source,
    lexicon_inner,
    lexicon_source,
    literal_alternation,
)
from tui.errors import UserError
from tui.model import DIPLOMACY_MOVES, OTHER_SIDE, UNKNOWN_SIDE

DEFAULT_PACK = "afpak-2026.toml"
KINDS: frozenset[str] = frozenset(
    {
        "country",
        "government",
        "armed group",
        "military",
        "person",
        "place",
        "organisation",
        "outlet",
    }
)
OUTCOME_VERBS: tuple[str, ...] = ("killed", "wounded", "captured", "missing", "destroyed")
MAX_FILE_BYTES = 4_000_000
MAX_ENTITIES = 5_000
MAX_ALIASES = 50_000
MAX_ALIAS_CHARS = 120
MAX_PATTERN_CHARS = 400
MAX_LEXICON_ENTRIES = 2_000
_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
# A quantified group that itself contains a quantifier: the classic catastrophic-backtracking shape.
# Placeholders a lexicon entry may use: {party}, {side:<id>} (any alias of that side's
# entities), {place:<id>} (any alias of that side's places), {role:<word>} (any alias of
# the entities whose role is, or begins with, that word: {role:mediator}).
_PLACEHOLDER = re.compile(r"\{(?:party|(?:side|place|role):[a-z0-9_\-]+)\}")
# The role of a third party that hosts or brokers the parties' talks (a venue, not a
# counterpart): naming it does not make an item about a different dispute.
MEDIATOR_ROLE = "mediator"
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,\})")


@dataclass(frozen=True, slots=True)
class Side:
    id: str
    name: str
    both_parties: bool = False  # e.g. the shared border: counts as either party for relevance


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    kind: str
    side: str
    aliases: tuple[str, ...]
    role: str = ""
    counts_as: str = (
        ""  # a party this entity stands for when judging relevance (e.g. TTP → pakistan)
    )
    stands_for: str = ""  # entity id this one is a metonym of (Islamabad → pakistan)

    def has_role(self, word: str) -> bool:
        """Whether the entity's role is ``word`` or begins with it ("mediator (Doha talks)")."""
        return role_word(self.role) == word


def role_word(role: str) -> str:
    """The first word of a role, lower-cased: the word a {role:<word>} placeholder names."""
    words = role.lower().replace("(", " ").replace(",", " ").split()
    return words[0] if words else ""


@dataclass(frozen=True, slots=True)
class VictimClass:
    """A family of victim nouns ("soldiers", "civilians", "posts") and what they imply."""

    pattern: re.Pattern[str]
    civilian: bool | None = None
    side: str = ""  # a default side for these victims (e.g. "militant" for "terrorists")
    own_side: bool = False  # a party reporting these unqualified means its own people
    posts: bool = False  # posts/positions rather than people
    attackers: bool = False  # of the party the sentence names as attacking, if any


@dataclass(frozen=True, slots=True, eq=False)
class SeedPack:
    """A loaded pack. Patterns apply to ``tui.analysis.fold.fold(text)`` unless noted.

    Compared and hashed by identity, so analysis code may cache per-pack grammars.
    """

    path: str
    id: str
    name: str
    description: str
    parties: tuple[str, str]
    sides: Mapping[str, Side]
    entities: tuple[Entity, ...]
    alias_ci: re.Pattern[str]  # every alias, over folded text
    lookup_ci: Mapping[str, int]  # alias_key(folded alias) → entity index
    lookup_cs: Mapping[str, int]  # the same for acronyms, which must be in capitals in the text
    relevance_terms: re.Pattern[str]
    relevance_strong: re.Pattern[str]
    relevance_exclude: re.Pattern[str] | None
    # an item naming only one party is about the conflict when it has one of these
    relevance_one_party: re.Pattern[str] | None
    # per party: terms that make an item naming only that party about the conflict
    relevance_only: Mapping[str, re.Pattern[str]]
    # an item naming only one party is about the conflict when it has one of these and a
    # mediator is named as a venue or broker, not as that party's counterpart
    relevance_mediated: re.Pattern[str] | None
    strike: re.Pattern[str]
    strike_exclude: re.Pattern[str] | None
    outcome_verbs: Mapping[str, re.Pattern[str]]  # OUTCOME_VERBS → bounded pattern
    outcome_source: str  # unbounded alternation of all outcome verbs, named groups per class
    attribution_source: str
    attribution: re.Pattern[str]
    press: re.Pattern[str]
    neutral: re.Pattern[str]  # sources that are neither party (hospitals, rescuers)
    official: re.Pattern[
        str
    ]  # unnamed official sources ("the army"): speak for the party in context
    according_to: re.Pattern[str]  # markers that come right before a source ("according to")
    neutral_side: str
    victims: tuple[VictimClass, ...]
    victim_source: str  # unbounded alternation of every victim noun
    means: tuple[tuple[str, re.Pattern[str]], ...]
    means_all: re.Pattern[str]  # every means at once; group g<i> is means[i]
    moves: tuple[tuple[str, re.Pattern[str]], ...]
    moves_all: re.Pattern[str]  # every move at once; group g<i> is moves[i]
    # moves_all less the entries that name a side other than the parties ("{side:third_party}
    # condemns"): enough for an item that mentions no entity of those sides (``moves_gate``)
    moves_ungated: re.Pattern[str] | None
    moves_gate: frozenset[str]
    moves_exclude: re.Pattern[str] | None
    moves_context: re.Pattern[str] | None  # words that tie a move to the conflict
    conflict_moves: frozenset[str]
    entity_index: Mapping[str, int] = field(default_factory=dict)
    mediators: frozenset[int] = frozenset()  # indices of entities with the mediator role
    # the same pack less what can only match non-ASCII text, for items that fold to ASCII
    ascii: SeedPack | None = None
    # fields whose patterns are compiled on first use (see ``_defer``): field name → the
    # value with ``_Pending`` sources in place of patterns
    _pending: Mapping[str, Any] | None = field(default=None, repr=False)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # reached only while a deferred field's slot is still empty
            pending = object.__getattribute__(self, "_pending")
            if pending is None or name not in pending:
                raise AttributeError(name)
            with _COMPILE_LOCK:
                try:  # another thread may have compiled it meanwhile
                    return object.__getattribute__(self, name)
                except AttributeError:
                    pass
                value = _resolve(pending[name], self.path)
                object.__setattr__(self, name, value)
                return value

    def party_of(self, side: str) -> tuple[str, ...]:
        """The parties a side counts as for relevance (none, one, or both)."""
        if side in self.parties:
            return (side,)
        found = self.sides.get(side)
        if found is not None and found.both_parties:
            return self.parties
        return ()

    def opponent(self, side: str) -> str:
        """The other party, or "unknown" when ``side`` is not a party."""
        a, b = self.parties
        if side == a:
            return b
        if side == b:
            return a
        return UNKNOWN_SIDE


# ---------------------------------------------------------------- loading


def default_pack_path() -> Path | None:
    """``<repo>/seeds/afpak-2026.toml`` next to the package, if it exists."""
    candidate = Path(__file__).resolve().parent.parent / "seeds" / DEFAULT_PACK
    return candidate if candidate.is_file() else None


def _read_default() -> tuple[str, bytes]:
    path = default_pack_path()
    if path is not None:
        return str(path), path.read_bytes()
    resource = importlib.resources.files("tui").joinpath("seeds", DEFAULT_PACK)
    return f"tui/seeds/{DEFAULT_PACK}", resource.read_bytes()


def load_pack(path: Path | None = None) -> SeedPack:
    """Load and compile a pack; raise ``UserError`` with one line if anything is wrong.

    Every entry is checked here, but the big patterns of the full (non-ASCII) view are
    compiled on first use: most items fold to ASCII and only need ``pack.ascii``.
    """
    name, data = _read(path)
    pack, problems = _build(name, data, lazy=True)
    if problems or pack is None:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise UserError((problems[0] if problems else f"{name}: could not load") + more)
    return pack


def validate_pack(path: Path | None = None) -> list[str]:
    """Every problem of a pack, one line each (empty when the pack is good)."""
    try:
        name, data = _read(path)
    except UserError as exc:
        return [str(exc)]
    return _build(name, data, lazy=False, lean=False)[1]


def _read(path: Path | None) -> tuple[str, bytes]:
    if path is None:
        try:
            return _read_default()
        except OSError as exc:
            raise UserError(
                f"{DEFAULT_PACK}: cannot read the bundled pack: {exc.strerror}"
            ) from None
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"{path}: file is too large ({size} bytes; limit {MAX_FILE_BYTES})")
        return str(path), path.read_bytes()
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory, not a seed pack") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- building


class _Problems:
    def __init__(self, name: str, *, trusted: bool = False, defer: bool = False) -> None:
        self.name = name
        self.lines: list[str] = []
        # entries already checked by an earlier build: skip compiling each on its own
        self.trusted = trusted
        # leave the big lexicon patterns uncompiled (``_Pending``) after checking them
        self.defer = defer

    def add(self, entry: str, fld: str, what: str) -> None:
        what = " ".join(what.split())[:200]
        self.lines.append(f"{self.name}: entry '{entry}': {fld}: {what}")


def _str(
    p: _Problems,
    table: Mapping[str, Any],
    key: str,
    entry: str,
    *,
    required: bool = True,
    default: str = "",
) -> str:
    value = table.get(key, None)
    if value is None:
        if required:
            p.add(entry, key, "missing")
        return default
    if not isinstance(value, str):
        p.add(entry, key, f"must be a string, not {type(value).__name__}")
        return default
    if required and not value.strip():
        p.add(entry, key, "must not be empty")
    return value.strip()


def _str_list(
    p: _Problems,
    table: Mapping[str, Any],
    key: str,
    entry: str,
    *,
    required: bool = False,
    limit: int = MAX_LEXICON_ENTRIES,
) -> list[str]:
    value = table.get(key, None)
    if value is None:
        if required:
            p.add(entry, key, "missing")
        return []
    if not isinstance(value, list):
        p.add(entry, key, f"must be a list of strings, not {type(value).__name__}")
        return []
    if len(value) > limit:
        p.add(entry, key, f"too many entries ({len(value)}; limit {limit})")
        return []
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            p.add(entry, key, f"item {i + 1} must be a string, not {type(item).__name__}")
        elif not item.strip():
            p.add(entry, key, f"item {i + 1} is empty")
        else:
            out.append(item.strip())
    if required and not out and not any(not isinstance(v, str) for v in value):
        p.add(entry, key, "must not be empty")
    return out


def _check_patterns(p: _Problems, entry: str, key: str, patterns: list[str]) -> list[str]:
    good: list[str] = []
    for i, pattern in enumerate(patterns):
        if len(pattern) > MAX_PATTERN_CHARS:
            p.add(
                entry,
                key,
                f"item {i + 1} is too long ({len(pattern)} chars; limit {MAX_PATTERN_CHARS})",
            )
            continue
        if _NESTED_QUANTIFIER.search(pattern):
            p.add(entry, key, f"item {i + 1}: nested repetition like (a+)+ is not allowed")
            continue
        if not p.trusted:
            try:
                re.compile(_PLACEHOLDER.sub("x", pattern))
            except (re.error, RecursionError, OverflowError) as exc:
                p.add(entry, key, f"item {i + 1} is not a valid regular expression: {exc}")
                continue
        good.append(fold_pattern(pattern))
    return good


def _table(
    p: _Problems, doc: Mapping[str, Any], key: str, *, required: bool = False
) -> dict[str, Any]:
    value = doc.get(key)
    if value is None:
        if required:
            p.add(key, key, "missing section")
        return {}
    if not isinstance(value, dict):
        p.add(key, key, f"must be a table, not {type(value).__name__}")
        return {}
    return value


def _lexicon(
    p: _Problems,
    table: Mapping[str, Any],
    key: str,
    entry: str,
    subs: Mapping[str, str],
    *,
    required: bool = False,
) -> re.Pattern[str] | None:
    entries = _check_patterns(p, entry, key, _str_list(p, table, key, entry, required=required))
    for i, item in enumerate(entries):
        for name in _PLACEHOLDER.findall(item):
            if name[1:-1] not in subs:
                p.add(entry, key, f"item {i + 1}: unknown placeholder {name}")
    if not entries:
        return None
    source = lexicon_source(entries, dict(subs))
    if p.defer:
        return _defer(p, entry, key, source, [entries], subs, lambda inner: bounded(inner[0]))
    return _compile(p, entry, key, source)


def _compile(
    p: _Problems, entry: str, key: str, source: str, flags: int = 0
) -> re.Pattern[str] | None:
    try:
        return re.compile(source, flags)
    except (re.error, RecursionError, OverflowError) as exc:
        p.add(entry, key, f"does not compile: {exc}")
        return None


_COMPILE_LOCK = threading.RLock()


class _Pending:
    """The source of a pattern left to be compiled on first use."""

    __slots__ = ("entry", "key", "source")

    def __init__(self, entry: str, key: str, source: str) -> None:
        self.entry, self.key, self.source = entry, key, source


def _defer(
    p: _Problems,
    entry: str,
    key: str,
    source: str,
    lexicons: list[list[str]],
    subs: Mapping[str, str],
    wrap: Any,
) -> re.Pattern[str] | None:
    """``source`` as a ``_Pending`` (typed as the pattern it stands for), once a stand-in
    with the same entries but one-letter placeholders has compiled. The placeholders
    become literal alternations without groups, so the stand-in fails exactly when the
    real pattern would, except for a look-behind, whose width they change: such a
    lexicon is compiled now."""
    if any("(?<" in e for entries in lexicons for e in entries):
        return _compile(p, entry, key, source)
    stub = dict.fromkeys(subs, "x")
    try:
        re.compile(wrap([lexicon_inner(entries, stub) for entries in lexicons]))
    except (re.error, RecursionError, OverflowError):
        # the real pattern fails too: compile it for the problem's exact wording
        return _compile(p, entry, key, source)
    return cast("re.Pattern[str]", _Pending(entry, key, source))


def _grouped(
    p: _Problems,
    entry: str,
    key: str,
    inners: list[str],
    lexicons: list[list[str]],
    subs: Mapping[str, str],
) -> re.Pattern[str] | None:
    """``grouped_source(inners)``, compiled now or deferred (see ``_defer``)."""
    source = grouped_source(inners)
    if p.defer:
        return _defer(p, entry, key, source, lexicons, subs, grouped_source)
    return _compile(p, entry, key, source)


def _lazy_value(value: Any) -> bool:
    """Whether a field value holds a ``_Pending`` pattern."""
    if isinstance(value, _Pending):
        return True
    if isinstance(value, tuple):
        return any(_lazy_value(v) for v in value)
    if isinstance(value, MappingProxyType):
        return any(_lazy_value(v) for v in value.values())
    return False


def _resolve(value: Any, name: str) -> Any:
    """``value`` with each ``_Pending`` compiled."""
    if isinstance(value, _Pending):
        try:
            return re.compile(value.source)
        except (re.error, RecursionError, OverflowError) as exc:
            what = " ".join(f"does not compile: {exc}".split())[:200]
            raise UserError(f"{name}: entry '{value.entry}': {value.key}: {what}") from None
    if isinstance(value, tuple):
        return tuple(_resolve(v, name) for v in value)
    if isinstance(value, MappingProxyType):
        return MappingProxyType({k: _resolve(v, name) for k, v in value.items()})
    return value


_NEVER = re.compile(r"(?!x)x")
_ACCORDING_TO = ("according to", "citing", "quoting", "quoted")


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(c.isascii() and c.isupper() for c in letters)


def _build(
    name: str, data: bytes, *, lazy: bool = False, lean: bool = True
) -> tuple[SeedPack | None, list[str]]:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None, [f"{name}: not UTF-8 text"]
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{name}: not valid TOML: {' '.join(str(exc).split())}"]
    except RecursionError:
        return None, [f"{name}: not valid TOML: nested too deeply"]

    pack, problems = _assemble(_Problems(name, defer=lazy and lean), doc)
    if pack is None or not lean:
        return pack, problems
    # the same pack without the entries that can only match non-ASCII text: most items are
    # ASCII once folded, and each alternative a pattern need not try saves time on every item.
    # Its entries are a subset of those just checked.
    ascii_pack, _ = _assemble(_Problems(name, trusted=True), _ascii_doc(doc))
    pending = {f.name: getattr(pack, f.name) for f in fields(pack)}
    pending = {k: v for k, v in pending.items() if _lazy_value(v)}
    if ascii_pack is None:  # not expected: compile everything now
        for key, value in pending.items():
            object.__setattr__(pack, key, _resolve(value, name))
    else:
        object.__setattr__(pack, "ascii", ascii_pack)
        if pending:
            object.__setattr__(pack, "_pending", MappingProxyType(pending))
            for key in pending:
                object.__delattr__(pack, key)
    return pack, []


_LEXICON_SECTIONS = ("relevance", "categories", "claims", "means", "diplomacy")


def _ascii_doc(doc: Mapping[str, Any]) -> dict[str, Any]:
    """``doc`` without the aliases and lexicon entries that fold to non-ASCII text (a list
    that would be left empty is kept whole: its entries simply never match)."""

    def lean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: lean(v) for k, v in value.items()}
        if isinstance(value, list):
            kept = [
                lean(v)
                for v in value
                if not isinstance(v, str) or fold_pattern(v).isascii() or fold(v).isascii()
            ]
            return kept if kept or not value else value
        return value

    out = dict(doc)
    for key in _LEXICON_SECTIONS:
        if key in out:
            out[key] = lean(out[key])
    entities = out.get("entity")
    if isinstance(entities, list):
        out["entity"] = [
            {**e, "aliases": lean(e["aliases"])}
            if isinstance(e, dict) and isinstance(e.get("aliases"), list)
            else e
            for e in entities
        ]
    return out


def _assemble(p: _Problems, doc: Mapping[str, Any]) -> tuple[SeedPack | None, list[str]]:
    name = p.name
    meta = _table(p, doc, "pack", required=True)
    pack_id = _str(p, meta, "id", "pack")
    pack_name = _str(p, meta, "name", "pack")
    description = _str(p, meta, "description", "pack", required=False)

    # sides
    sides: dict[str, Side] = {}
    for side_id, spec in _table(p, doc, "sides", required=True).items():
        if not _ID.match(side_id) or side_id in (UNKNOWN_SIDE, OTHER_SIDE):
            p.add(side_id, "sides", "side ids are lower-case words and not 'unknown' or 'other'")
            continue
        if not isinstance(spec, dict):
            p.add(side_id, "sides", f"must be a table, not {type(spec).__name__}")
            continue
        both = spec.get("both_parties", False)
        if not isinstance(both, bool):
            p.add(side_id, "both_parties", "must be true or false")
            both = False
        sides[side_id] = Side(
            side_id, _str(p, spec, "name", side_id, required=False) or side_id, both
        )

    parties_raw = _str_list(p, meta, "parties", "pack", required=True)
    if len(parties_raw) != 2:
        if "parties" in meta and isinstance(meta.get("parties"), list):
            p.add("pack", "parties", f"must name exactly two sides, not {len(parties_raw)}")
        parties: tuple[str, str] = ("", "")
    else:
        parties = (parties_raw[0], parties_raw[1])
        for party in parties:
            if party not in sides:
                p.add("pack", "parties", f"unknown side '{party}'")

    # entities
    entities, lookup_ci, lookup_cs, ci_words = _entities(p, doc, sides, parties)
    entity_index = {e.id: i for i, e in enumerate(entities)}
    for e in entities:
        if e.stands_for and e.stands_for not in entity_index:
            p.add(e.id, "stands_for", f"unknown entity '{e.stands_for}'")

    alias_source = bounded(literal_alternation([*ci_words, *lookup_cs]))
    alias_ci = (
        # a literal alternation: nothing to check before compiling it on first use
        cast("re.Pattern[str]", _Pending("entity", "aliases", alias_source))
        if p.defer
        else _compile(p, "entity", "aliases", alias_source)
    ) or _NEVER

    party_words = [
        key
        for key, idx in lookup_ci.items()
        if entities[idx].side in parties and entities[idx].kind != "outlet"
    ]
    subs = {"party": literal_alternation(party_words)}
    for side_id in sides:
        subs[f"side:{side_id}"] = literal_alternation(
            key
            for key, idx in [*lookup_ci.items(), *lookup_cs.items()]
            if entities[idx].side == side_id and entities[idx].kind != "outlet"
        )
        subs[f"place:{side_id}"] = literal_alternation(
            key
            for key, idx in lookup_ci.items()
            if entities[idx].side == side_id and entities[idx].kind == "place"
        )
    for word in {role_word(e.role) for e in entities} - {""}:
        subs[f"role:{word}"] = literal_alternation(
            key
            for key, idx in [*lookup_ci.items(), *lookup_cs.items()]
            if entities[idx].has_role(word) and entities[idx].kind != "outlet"
        )

    rel = _table(p, doc, "relevance", required=True)
    relevance_terms = _lexicon(p, rel, "terms", "relevance", subs, required=True) or _NEVER
    relevance_strong = _lexicon(p, rel, "strong_terms", "relevance", subs) or _NEVER
    relevance_exclude = _lexicon(p, rel, "exclude", "relevance", subs)
    relevance_one_party = _lexicon(p, rel, "one_party_terms", "relevance", subs)
    relevance_mediated = _lexicon(p, rel, "mediated_terms", "relevance", subs)
    relevance_only: dict[str, re.Pattern[str]] = {}
    for side_id, entries in _table(p, rel, "only").items():
        if side_id not in parties:
            p.add("relevance.only", side_id, "must be one of the pack's parties")
            continue
        compiled = _lexicon(p, {side_id: entries}, side_id, "relevance.only", subs, required=True)
        if compiled is not None:
            relevance_only[side_id] = compiled

    cats = _table(p, doc, "categories", required=True)
    strike = _lexicon(p, cats, "strike", "categories", subs, required=True) or _NEVER
    strike_exclude = _lexicon(p, cats, "strike_exclude", "categories", subs)

    claims = _table(p, doc, "claims", required=True)
    outcome_verbs: dict[str, re.Pattern[str]] = {}
    groups: list[str] = []
    for verb_class in OUTCOME_VERBS:
        entries = _check_patterns(
            p, "claims", verb_class, _str_list(p, claims, verb_class, "claims", required=True)
        )
        if entries:
            source = "|".join(f"(?:{e})" for e in entries).replace(" ", r"(?:[\s\-]+)")
            compiled = _compile(p, "claims", verb_class, bounded(source))
            if compiled is not None:
                outcome_verbs[verb_class] = compiled
                groups.append(f"(?P<{verb_class}>{source})")
    outcome_source = "(?:" + "|".join(groups) + ")" if groups else r"(?!x)x"
    attribution_entries = _check_patterns(
        p, "claims", "attribution", _str_list(p, claims, "attribution", "claims", required=True)
    )
    attribution_source = (
        "|".join(f"(?:{e})" for e in attribution_entries).replace(" ", r"(?:[\s\-]+)")
        if attribution_entries
        else r"(?!x)x"
    )
    attribution = _compile(p, "claims", "attribution", bounded(attribution_source)) or _NEVER
    press = _lexicon(p, claims, "press", "claims", subs) or _NEVER
    neutral = _lexicon(p, claims, "neutral_sources", "claims", subs) or _NEVER
    official = _lexicon(p, claims, "official_sources", "claims", subs) or _NEVER
    according_to = _lexicon(p, claims, "according_to", "claims", subs)
    if according_to is None and "according_to" not in claims:
        according_to = re.compile(lexicon_source(_ACCORDING_TO))
    neutral_side = _str(p, claims, "neutral_side", "claims", required=False) or OTHER_SIDE
    if neutral_side not in sides and neutral_side != OTHER_SIDE:
        p.add("claims", "neutral_side", f"unknown side '{neutral_side}'")
    victims, victim_source = _victims(p, claims, sides)

    means: list[tuple[str, re.Pattern[str]]] = []
    means_inner: list[str] = []
    means_entries: list[list[str]] = []
    for label, entries in _table(p, doc, "means").items():
        compiled = _lexicon(p, {label: entries}, label, "means", subs, required=True)
        if compiled is not None and isinstance(entries, list):
            means.append((label, compiled))
            means_inner.append(lexicon_inner(entries, subs))
            means_entries.append(entries)
    means_all = _grouped(p, "means", "means", means_inner, means_entries, subs) or _NEVER

    dip = _table(p, doc, "diplomacy", required=True)
    moves: list[tuple[str, re.Pattern[str]]] = []
    moves_inner: list[str] = []
    ungated_inner: list[str] = []
    moves_entries: list[list[str]] = []
    ungated_entries: list[list[str]] = []
    gate: set[str] = set()
    gated_sides = {side_id: "{side:" + side_id + "}" for side_id in sides if side_id not in parties}
    for key in dip:
        if key not in DIPLOMACY_MOVES and key not in ("exclude", "conflict_moves", "context"):
            p.add("diplomacy", key, f"unknown move (expected one of {', '.join(DIPLOMACY_MOVES)})")
    for move in DIPLOMACY_MOVES:
        if move in dip:
            compiled = _lexicon(p, dip, move, "diplomacy", subs, required=True)
            if compiled is not None:
                moves.append((move, compiled))
                moves_inner.append(lexicon_inner(dip[move], subs))
                moves_entries.append(dip[move])
                kept = []
                for entry in dip[move]:
                    named = {side for side, key in gated_sides.items() if key in entry}
                    gate.update(named)
                    if not named:
                        kept.append(entry)
                ungated_inner.append(lexicon_inner(kept, subs))
                ungated_entries.append(kept)
    moves_all = _grouped(p, "diplomacy", "moves", moves_inner, moves_entries, subs) or _NEVER
    moves_ungated = (
        _grouped(p, "diplomacy", "moves", ungated_inner, ungated_entries, subs) if gate else None
    )
    moves_exclude = _lexicon(p, dip, "exclude", "diplomacy", subs)
    moves_context = _lexicon(p, dip, "context", "diplomacy", subs)
    conflict_moves = _str_list(p, dip, "conflict_moves", "diplomacy")
    for move in conflict_moves:
        if move not in DIPLOMACY_MOVES:
            p.add("diplomacy", "conflict_moves", f"unknown move '{move}'")

    if p.lines:
        return None, p.lines
    return SeedPack(
        path=name,
        id=pack_id,
        name=pack_name,
        description=description,
        parties=parties,
        sides=MappingProxyType(sides),
        entities=tuple(entities),
        alias_ci=alias_ci,
        lookup_ci=MappingProxyType(lookup_ci),
        lookup_cs=MappingProxyType(lookup_cs),
        relevance_terms=relevance_terms,
        relevance_strong=relevance_strong,
        relevance_exclude=relevance_exclude,
        relevance_one_party=relevance_one_party,
        relevance_only=MappingProxyType(relevance_only),
        relevance_mediated=relevance_mediated,
        strike=strike,
        strike_exclude=strike_exclude,
        outcome_verbs=MappingProxyType(outcome_verbs),
        outcome_source=outcome_source,
        attribution_source=attribution_source,
        attribution=attribution,
        press=press,
        neutral=neutral,
        official=official,
        according_to=according_to or _NEVER,
        neutral_side=neutral_side,
        victims=tuple(victims),
        victim_source=victim_source,
        means=tuple(means),
        means_all=means_all,
        moves=tuple(moves),
        moves_all=moves_all,
        moves_ungated=moves_ungated,
        moves_gate=frozenset(gate),
        moves_exclude=moves_exclude,
        moves_context=moves_context,
        conflict_moves=frozenset(conflict_moves),
        entity_index=MappingProxyType(entity_index),
        mediators=frozenset(i for i, e in enumerate(entities) if e.has_role(MEDIATOR_ROLE)),
    ), []


def _entities(
    p: _Problems, doc: Mapping[str, Any], sides: Mapping[str, Side], parties: tuple[str, str]
) -> tuple[list[Entity], dict[str, int], dict[str, int], list[str]]:
    raw = doc.get("entity")
    entities: list[Entity] = []
    lookup_ci: dict[str, int] = {}
    lookup_cs: dict[str, int] = {}
    ci_words: list[str] = []
    if raw is None:
        p.add("entity", "entity", "missing: a pack needs [[entity]] entries")
        return entities, lookup_ci, lookup_cs, ci_words
    if not isinstance(raw, list):
        p.add("entity", "entity", "must be an array of tables ([[entity]])")
        return entities, lookup_ci, lookup_cs, ci_words
    if len(raw) > MAX_ENTITIES:
        p.add("entity", "entity", f"too many entities ({len(raw)}; limit {MAX_ENTITIES})")
        return entities, lookup_ci, lookup_cs, ci_words
    seen_ids: set[str] = set()
    total_aliases = 0
    for n, spec in enumerate(raw, start=1):
        if not isinstance(spec, dict):
            p.add(f"#{n}", "entity", f"must be a table, not {type(spec).__name__}")
            continue
        label = spec.get("id") if isinstance(spec.get("id"), str) and spec.get("id") else f"#{n}"
        assert isinstance(label, str)
        before = len(p.lines)
        ent_id = _str(p, spec, "id", label)
        if ent_id and not _ID.match(ent_id):
            p.add(label, "id", "use lower-case letters, digits, '_' or '-' (at most 64)")
        if ent_id in seen_ids:
            p.add(label, "id", "duplicate id")
        seen_ids.add(ent_id)
        name = _str(p, spec, "name", label)
        kind = _str(p, spec, "kind", label)
        if kind and kind not in KINDS:
            p.add(
                label, "kind", f"unknown kind '{kind}' (expected one of {', '.join(sorted(KINDS))})"
            )
        side = _str(p, spec, "side", label)
        if side and side not in sides:
            p.add(label, "side", f"unknown side '{side}'")
        role = _str(p, spec, "role", label, required=False)
        counts_as = _str(p, spec, "counts_as", label, required=False)
        if counts_as and counts_as not in parties:
            p.add(label, "counts_as", f"'{counts_as}' is not one of the pack's parties")
        stands_for = _str(p, spec, "stands_for", label, required=False)
        aliases = _str_list(p, spec, "aliases", label, required=True)
        total_aliases += len(aliases)
        if total_aliases > MAX_ALIASES:
            p.add(label, "aliases", f"too many aliases in the pack (limit {MAX_ALIASES})")
            break
        for alias in aliases:
            if len(alias) > MAX_ALIAS_CHARS:
                p.add(
                    label, "aliases", f"'{alias[:30]}…' is too long (limit {MAX_ALIAS_CHARS} chars)"
                )
            elif not any(c.isalnum() for c in alias):
                p.add(label, "aliases", f"'{alias}' has no letters")
        known = {"id", "name", "kind", "side", "role", "aliases", "counts_as", "stands_for"}
        for key in spec:
            if key not in known:
                p.add(label, key, "unknown field")
        if len(p.lines) > before:
            continue
        index = len(entities)
        for alias in aliases:
            table = lookup_cs if _is_acronym(alias) else lookup_ci
            key = alias_key(fold(alias))
            owner = table.get(key)
            if owner is not None and owner != index:
                p.add(
                    label, "aliases", f"'{alias}' already belongs to entity '{entities[owner].id}'"
                )
                continue
            if (
                owner is None
                and (lookup_cs if table is lookup_ci else lookup_ci).get(key) is not None
            ):
                p.add(label, "aliases", f"'{alias}' clashes with another entity's alias")
                continue
            if owner is None:
                table[key] = index
                if table is lookup_ci:
                    ci_words.append(key)
        entities.append(
            Entity(ent_id, name, kind, side, tuple(aliases), role, counts_as, stands_for)
        )
    return entities, lookup_ci, lookup_cs, ci_words


def _victims(
    p: _Problems, claims: Mapping[str, Any], sides: Mapping[str, Side]
) -> tuple[list[VictimClass], str]:
    raw = claims.get("victims")
    out: list[VictimClass] = []
    sources: list[str] = []
    if raw is None:
        return out, r"(?!x)x"
    if not isinstance(raw, list):
        p.add("claims", "victims", "must be an array of tables ([[claims.victims]])")
        return out, r"(?!x)x"
    for n, spec in enumerate(raw, start=1):
        label = f"claims.victims #{n}"
        if not isinstance(spec, dict):
            p.add(label, "victims", f"must be a table, not {type(spec).__name__}")
            continue
        nouns = _check_patterns(
            p, label, "nouns", _str_list(p, spec, "nouns", label, required=True)
        )
        civilian = spec.get("civilian")
        if civilian is not None and not isinstance(civilian, bool):
            p.add(label, "civilian", "must be true or false")
            civilian = None
        side = _str(p, spec, "side", label, required=False)
        if side and side not in sides:
            p.add(label, "side", f"unknown side '{side}'")
        flags = {}
        for key in ("own_side", "posts", "attackers"):
            value = spec.get(key, False)
            if not isinstance(value, bool):
                p.add(label, key, "must be true or false")
                value = False
            flags[key] = value
        if not nouns:
            continue
        source = "|".join(f"(?:{e})" for e in nouns).replace(" ", r"(?:[\s\-]+)")
        compiled = _compile(p, label, "nouns", bounded(source))
        if compiled is None:
            continue
        sources.append(source)
        out.append(
            VictimClass(
                compiled, civilian, side, flags["own_side"], flags["posts"], flags["attackers"]
            )
        )
    return out, ("|".join(f"(?:{s})" for s in sources) if sources else r"(?!x)x")
