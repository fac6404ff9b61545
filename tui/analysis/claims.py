"""Casualty and post claims: one ``Claim`` per stated figure.

Works sentence by sentence on the folded text. A figure becomes a claim when an
outcome verb governs it, either after it ("23 soldiers were killed", "dozens
killed and injured") or before it ("killed 23 soldiers", "captures 19"). The
victims are the noun phrase next to the figure; their side comes from the
entities named in it, else from the pack's victim nouns and the grammar of the
sentence (who attacks, who speaks). The claimant is the source the sentence
attributes the figure to ("X said", "according to X"); the press is never one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from tui.analysis.doc import Doc, Mention
from tui.analysis.numbers import Figure, find_figures
from tui.model import OTHER_SIDE, UNKNOWN_SIDE, Claim

if TYPE_CHECKING:
    from tui.seeds import SeedPack, VictimClass

_AUX = (
    r"(?:(?:were|was|have|has|had|been|being|are|is|got|reportedly|allegedly|also|all|later|"
    r"so far|now|since|then|were all|were later)\s+){0,4}"
)
_NP_WORD = r"""[\w'"]+(?:-[\w'"]+)*"""
_STOP = frozenset(
    [
        "in",
        "at",
        "on",
        "near",
        "during",
        "after",
        "across",
        "along",
        "inside",
        "from",
        "with",
        "since",
        "when",
        "while",
        "as",
        "by",
        "into",
        "over",
        "under",
        "amid",
        "following",
        "before",
        "within",
        "outside",
        "around",
        "throughout",
        "last",
        "this",
        "that",
        "which",
        "who",
        "whom",
        "said",
        "says",
        "say",
        "claim",
        "claims",
        "claimed",
        "according",
        "until",
        "to",
        "for",
        "because",
        "so",
        "but",
        "or",
        "were",
        "was",
        "are",
        "is",
        "had",
        "have",
        "has",
    ]
)
_UNITS = frozenset(
    [
        "km",
        "kms",
        "kilometres",
        "kilometers",
        "kilometre",
        "kilometer",
        "miles",
        "mile",
        "metres",
        "meters",
        "percent",
        "pc",
        "years",
        "year",
        "months",
        "month",
        "days",
        "day",
        "hours",
        "hour",
        "minutes",
        "am",
        "pm",
        "km2",
        "sq",
        "square",
        "rupees",
        "rs",
        "dollars",
        "million",
        "billion",
        "tonnes",
        "tons",
        "kg",
        "pounds",
        "acres",
        "feet",
        "ft",
        "mph",
        "cent",
    ]
)
_PRONOUNS = frozenset(
    ["they", "it", "he", "she", "we", "the", "group", "them", "its", "their", "his", "her"]
)
_CLAUSE_BREAK = re.compile(
    r"""[;:"“”()\[\]]|(?<!\w)(?:while|whereas|but|after|although|though|and said|as)(?!\w)"""
)
_SOURCE_AFTER = re.compile(r"(?<!\w)(?:according to|citing|quoting|quoted)\s+")
_TOKEN = re.compile(_NP_WORD + r"|[^\w\s]")
_BETWEEN = re.compile(r"(?<!\w)between(?!\w)")
_PHRASE_END = re.compile(r"[,;:.\"()]|(?<!\w)(?:said|says|that|who|on|in)(?!\w)")
_TRAILING_SOURCE = re.compile(r"[:\-]\s+((?:[\w.'-]+\s*){1,5})$")
_LOCATIVE = re.compile(
    r"(?<!\w)(?:in|at|near|on|over|across|inside|into|of|from|to)\s+(?:the\s+)?$"
)
_PRONOUN_SUBJECT = re.compile(r"\s*(?:that\s+)?(?:they|it|we|(?:its|their|our)\s+\w+)(?!\w)")


@dataclass(frozen=True, slots=True)
class _Grammar:
    after: re.Pattern[str]  # figure, victims, auxiliaries, outcome verb
    before: re.Pattern[str]  # outcome verb right before a figure (search in a window)
    also: re.Pattern[str]  # "... killed and injured": a second outcome right after the first
    victim: re.Pattern[str]  # any victim noun
    any_verb: re.Pattern[str]  # any outcome verb: a sentence without one has no claims


@lru_cache(maxsize=16)
def _grammar(pack: SeedPack) -> _Grammar:
    verbs = pack.outcome_source
    after = re.compile(
        r"\s*(?:of\s+(?:the\s+|them\s+|whom\s+)?)?"
        r"(?P<np>(?:" + _NP_WORD + r"\s+){0,6}?)" + _AUX + r"(?P<verb>" + verbs + r")(?!\w)"
    )
    before = re.compile(r"(?<!\w)(?P<verb>" + verbs + r")\s+(?:(?:a total of|the|of)\s+)?$")
    also = re.compile(
        r"\s*(?:and|or)\s+(?:(?:critically|seriously|severely|badly|also|many|more)\s+)?"
        r"(?P<verb>" + verbs + r")(?!\w)"
    )
    victim = re.compile(r"(?<!\w)(?:" + pack.victim_source + r")(?!\w)")
    any_verb = re.compile(r"(?<!\w)" + verbs + r"(?!\w)")
    return _Grammar(after, before, also, victim, any_verb)


@dataclass(frozen=True, slots=True)
class _Source:
    start: int  # where the attribution verb (or "according to") is
    end: int  # where it ends
    claimant: str
    side: str


@dataclass(slots=True)
class _Victims:
    text: str
    cls: VictimClass | None
    side: str  # from an entity in the phrase, or ""


def find_claims(doc: Doc, pack: SeedPack, sentences: list[tuple[int, int]]) -> tuple[Claim, ...]:
    """Every stated figure in ``sentences`` of ``doc`` that an outcome verb governs."""
    grammar = _grammar(pack)
    claims: list[Claim] = []
    last_source: _Source | None = None
    done = 0  # sentences whose sources have been read (lazily: only what a figure needs)
    for index, (s, e) in enumerate(sentences):
        if grammar.any_verb.search(doc.folded, s, e) is None:
            continue
        figures = [
            f for f in find_figures(doc.folded, s, e) if not (f.low <= 1 and f.high in (1, None))
        ]
        if not figures:
            continue
        for ps, pe in sentences[done:index]:
            earlier = _sources(doc, pack, ps, pe, last_source)
            if earlier:
                last_source = earlier[-1]
        sources = _sources(doc, pack, s, e, last_source)
        done = index + 1
        if sources:
            last_source = sources[-1]
        previous: _Victims | None = None
        prior_side = ""  # whose people the sentence's previous figure counted
        for fig in figures:
            found = _read_figure(doc, pack, grammar, fig, s, e, figures)
            if found is None:
                continue
            outcomes, victims, verb_pos, verb_first = found
            if victims.cls is None and not victims.text and previous is not None:
                victims = previous
            source = _source_for(sources, fig.start)
            attacker = _attacker(doc, pack, s, verb_pos, sources)
            for verb_class in outcomes:
                outcome = _outcome(verb_class, victims)
                if outcome is None:
                    continue
                victim_side = _victim_side(
                    pack, doc, victims, source, attacker, verb_first, s, e, prior_side
                )
                if victim_side in pack.parties:
                    prior_side = victim_side
                claims.append(
                    Claim(
                        outcome=outcome,
                        low=fig.low,
                        high=fig.high,
                        victims=victims.text,
                        victim_side=victim_side,
                        civilian=None
                        if victims.cls is None or victims.cls.posts
                        else victims.cls.civilian,
                        claimant=source.claimant if source else "",
                        claimant_side=source.side if source else UNKNOWN_SIDE,
                        evidence=doc.text[s:e],
                        span=(s, e),
                    )
                )
            previous = victims
    return _dedupe(claims)


def _read_figure(
    doc: Doc, pack: SeedPack, grammar: _Grammar, fig: Figure, s: int, e: int, figures: list[Figure]
) -> tuple[list[str], _Victims, int, bool] | None:
    nxt = next((f.start for f in figures if f.start > fig.start), e)
    return _verb_first(doc, pack, grammar, fig, s, e, nxt) or _figure_first(
        doc, pack, grammar, fig, s, e, nxt
    )


def _figure_first(
    doc: Doc, pack: SeedPack, grammar: _Grammar, fig: Figure, s: int, e: int, nxt: int
) -> tuple[list[str], _Victims, int, bool] | None:
    """Figure before the verb: "23 soldiers were killed", "dozens killed and injured"."""
    folded = doc.folded
    m = grammar.after.match(folded, fig.end, e)
    if m is None:
        return None
    np_start, np_end = m.span("np")
    words = folded[np_start:np_end].split()
    if words and words[0] in _UNITS:
        return None
    if any(w in ("said", "says", "claimed", "told") for w in words):
        return None
    cut = min(np_end, nxt)
    if nxt < np_end:
        # "five soldiers and 25 fighters killed": this figure's phrase stops at "and"
        joiner = re.search(r"(?:\s+and|,)\s*$", folded[np_start:nxt])
        if joiner is None:
            return None
        cut = np_start + joiner.start()
    victims = _victims(doc, pack, np_start, cut)
    if folded[np_start:cut].split() and victims.cls is None and not victims.side:
        return None
    outcomes = [_verb_class(m)]
    also = grammar.also.match(folded, m.end(), e)
    if also is not None and _verb_class(also) != outcomes[0]:
        outcomes.append(_verb_class(also))
    return outcomes, victims, fig.start, False


def _verb_first(
    doc: Doc, pack: SeedPack, grammar: _Grammar, fig: Figure, s: int, e: int, nxt: int
) -> tuple[list[str], _Victims, int, bool] | None:
    """ "killed 23 soldiers", "claims of killing 200 Taliban", "captures 19"."""
    folded = doc.folded
    window_start = max(s, fig.start - 48)
    b = grammar.before.search(folded, window_start, fig.start)
    if b is None:
        return None
    np_start, np_end = _phrase_after(folded, fig.end, min(e, nxt), grammar)
    first = folded[np_start:np_end].split()[:1]
    if first and first[0] in _UNITS:
        return None
    victims = _victims(doc, pack, np_start, min(np_end, nxt))
    return [_verb_class(b)], victims, b.start(), True


def _phrase_after(folded: str, start: int, end: int, grammar: _Grammar) -> tuple[int, int]:
    """The victims phrase right after a figure: up to its head noun, a stop word or punctuation."""
    a = z = -1
    count = 0
    for token in _TOKEN.finditer(folded, start, min(end, start + 90)):
        word = token.group()
        if a == -1 and word in ("of", "the", "them"):
            continue
        if not (word[0].isalnum() or word[0] in "'\"") or word in _STOP or word == "and":
            break
        if a == -1:
            a = token.start()
        z = token.end()
        count += 1
        if count >= 5:
            break
    if a == -1:
        return start, start
    head = grammar.victim.search(folded, a, z)
    if head is not None:
        z = head.end()
    return a, z


def _verb_class(m: re.Match[str]) -> str:
    for name, value in m.groupdict().items():
        if value is not None and name not in ("np", "verb"):
            return name
    return "killed"


def _outcome(verb_class: str, victims: _Victims) -> str | None:
    posts = victims.cls is not None and victims.cls.posts
    if verb_class == "killed":
        return None if posts else "killed"
    if verb_class == "wounded":
        return None if posts else "wounded"
    if verb_class == "captured":
        return "posts_captured" if posts else "captured"
    if verb_class == "destroyed":
        return "posts_destroyed" if posts else None
    if verb_class == "missing":
        return None if posts else "missing"
    return None


def _victims(doc: Doc, pack: SeedPack, start: int, end: int) -> _Victims:
    folded = doc.folded
    # trim connecting words and a trailing "and"
    words = list(re.finditer(_NP_WORD, folded[start:end]))
    while words and words[-1].group() in ("and", "or", "the", "of", "were", "was"):
        words.pop()
    if not words:
        return _Victims("", None, "")
    a = start + words[0].start()
    z = start + words[-1].end()
    phrase = folded[a:z]
    cls = None
    for candidate in pack.victims:
        if candidate.pattern.search(phrase):
            cls = candidate
            break
    side = ""
    for m in doc.mentions:
        if m.start >= a and m.end <= z:
            ent = pack.entities[m.entity]
            info = pack.sides.get(ent.side)
            if ent.kind != "outlet" and info is not None and not info.both_parties:
                side = ent.side
                break
    return _Victims(doc.text[a:z].strip(" ,'\""), cls, side)


def _attacker(doc: Doc, pack: SeedPack, s: int, pos: int, sources: list[_Source]) -> str:
    """The party doing the action at ``pos``: the nearest party named before it in its clause.

    The clause starts after the last attribution ("X said they killed ...": not X itself,
    unless the subject is a pronoun standing for X).
    """
    clause_start = s
    speaker: _Source | None = None
    for src in sources:
        if src.end <= pos and src.end > clause_start:
            clause_start = src.end
            speaker = src
    for brk in _CLAUSE_BREAK.finditer(doc.folded, clause_start, pos):
        if brk.group() in (";", ":"):
            clause_start = brk.end()
    if _BETWEEN.search(doc.folded, clause_start, pos):
        return UNKNOWN_SIDE
    sides: list[str] = []
    for m in doc.mentions:
        if clause_start <= m.start and m.end <= pos:
            ent = pack.entities[m.entity]
            if ent.kind == "outlet" or (ent.kind == "place" and _locative(doc.folded, m.start)):
                continue
            side = _side_of_entity(pack, ent.side, ent.stands_for)
            if side in pack.parties:
                sides.append(side)
    if sides:
        return sides[-1]
    if speaker is not None and _PRONOUN_SUBJECT.match(doc.folded, clause_start, pos):
        return speaker.side
    return UNKNOWN_SIDE


def _locative(folded: str, start: int) -> bool:
    """Whether the word before ``start`` makes a place a location, not an actor."""
    return _LOCATIVE.search(folded, max(0, start - 8), start) is not None


def _victim_side(
    pack: SeedPack,
    doc: Doc,
    victims: _Victims,
    source: _Source | None,
    attacker: str,
    verb_first: bool,
    s: int,
    e: int,
    prior_side: str,
) -> str:
    if victims.side:
        return victims.side
    cls = victims.cls
    if cls is not None and cls.side:
        return cls.side
    claimant = source.side if source is not None else UNKNOWN_SIDE
    if verb_first and attacker in pack.parties:
        return pack.opponent(attacker)
    if cls is None:
        return UNKNOWN_SIDE
    if cls.posts:
        # "... soldiers were killed and 19 posts seized": the same side's posts; otherwise a
        # party reporting posts destroyed or taken is talking about the enemy's
        if prior_side:
            return prior_side
        return pack.opponent(claimant) if claimant in pack.parties else UNKNOWN_SIDE
    if cls.own_side and claimant in pack.parties:
        return claimant
    if cls.own_side or cls.civilian is not False:
        place = _place_side(pack, doc, s, e)
        if place:
            return place
        if cls.civilian and claimant in pack.parties:
            return claimant
    return UNKNOWN_SIDE


def _place_side(pack: SeedPack, doc: Doc, s: int, e: int) -> str:
    sides = {
        pack.entities[m.entity].side
        for m in doc.mentions
        if s <= m.start
        and m.end <= e
        and pack.entities[m.entity].kind == "place"
        and pack.entities[m.entity].side in pack.parties
    }
    return sides.pop() if len(sides) == 1 else ""


# ---------------------------------------------------------------- sources


def _sources(doc: Doc, pack: SeedPack, s: int, e: int, last: _Source | None) -> list[_Source]:
    """Attributions in the sentence [s, e), in order; the press is skipped."""
    folded = doc.folded
    out: list[_Source] = []
    for m in pack.attribution.finditer(folded, s, e):
        source = _source_before(doc, pack, s, m.start(), m.end(), e, last)
        if source is not None:
            out.append(source)
            last = source
    for m in _SOURCE_AFTER.finditer(folded, s, e):
        end = _phrase_end(folded, m.end(), e)
        source = _resolve(doc, pack, m.end(), end, (m.start(), end), last)
        if source is not None:
            out.append(source)
    tail = _TRAILING_SOURCE.search(folded, s, e)
    if tail is not None and tail.end() == e:
        source = _resolve(doc, pack, tail.start(1), tail.end(1), (tail.start(), e), last)
        if source is not None:
            out.append(source)
    out.sort(key=lambda src: src.start)
    return out


def _phrase_end(folded: str, start: int, e: int) -> int:
    m = _PHRASE_END.search(folded, start, e)
    return m.start() if m else e


def _source_before(
    doc: Doc, pack: SeedPack, s: int, v0: int, v1: int, e: int, last: _Source | None
) -> _Source | None:
    folded = doc.folded
    pre_end = v0
    while pre_end > s and folded[pre_end - 1].isspace():
        pre_end -= 1
    appositive = pre_end > s and folded[pre_end - 1] == ","
    if appositive:
        pre_end -= 1
    start = s
    for m in _CLAUSE_BREAK.finditer(folded, s, pre_end):
        start = m.end()
    if appositive:
        # "Mujahid, the Taliban spokesperson, said": the head before the appositive
        comma = folded.rfind(",", start, pre_end)
        if comma != -1:
            head_start = folded.rfind(",", start, comma)
            head_start = start if head_start == -1 else head_start + 1
            head = _resolve(doc, pack, head_start, comma, (v0, v1), None, strict=True)
            tail = _resolve(doc, pack, comma + 1, pre_end, (v0, v1), None, strict=True)
            if head is not None and tail is not None:
                person = _has_person(doc, pack, comma + 1, pre_end)
                return tail if person and not _has_person(doc, pack, head_start, comma) else head
            if head is not None or tail is not None:
                return head or tail
        else:
            # '"...," said X' or '..., X said'
            pass
    else:
        comma = folded.rfind(",", start, pre_end)
        if comma != -1:
            start = comma + 1
    # keep the last few words only
    words = list(re.finditer(r"\S+", folded[start:pre_end]))
    if len(words) > 9:
        start = start + words[-9].start()
    if start >= pre_end or folded[start:pre_end].strip() in ("", '"'):
        # inverted: '..., said ISPR' / '"...," said the spokesman'
        end = _phrase_end(folded, v1, e)
        return _resolve(doc, pack, v1, end, (v0, end), last)
    return _resolve(doc, pack, start, pre_end, (v0, v1), last)


def _has_person(doc: Doc, pack: SeedPack, a: int, z: int) -> bool:
    return any(
        a <= m.start and m.end <= z and pack.entities[m.entity].kind == "person"
        for m in doc.mentions
    )


def _resolve(
    doc: Doc,
    pack: SeedPack,
    a: int,
    z: int,
    at: tuple[int, int],
    last: _Source | None,
    strict: bool = False,
) -> _Source | None:
    """A source from the phrase [a, z): its entities, else pronoun or neutral or generic."""
    folded = doc.folded
    while a < z and folded[a] in " ,'\"":
        a += 1
    while z > a and folded[z - 1] in " ,'\"":
        z -= 1
    if a >= z:
        return None
    phrase = folded[a:z]
    text = doc.text[a:z]
    if not strict and pack.neutral.search(phrase):
        return _Source(at[0], at[1], text, pack.neutral_side)
    for m in doc.mentions:
        if a <= m.start and m.end <= z:
            ent = pack.entities[m.entity]
            if ent.kind == "outlet" or (ent.kind == "place" and _locative(folded, m.start)):
                continue
            return _Source(at[0], at[1], text, _side_of_entity(pack, ent.side, ent.stands_for))
    if strict:
        return None
    if pack.press.search(phrase) or any(_is_outlet(pack, m) for m in _mentions(doc, a, z)):
        return None
    words = phrase.split()
    if words and words[-1] in _PRONOUNS:
        return _Source(at[0], at[1], last.claimant, last.side) if last is not None else None
    if len(words) > 6:
        return None
    if pack.official.search(phrase):
        return _Source(at[0], at[1], text, _context_party(doc, pack, last))
    return _Source(at[0], at[1], text, UNKNOWN_SIDE)


def _context_party(doc: Doc, pack: SeedPack, last: _Source | None) -> str:
    """The party an unnamed official source ("the army", "officials") most likely speaks for:
    the party of the item's previous source, else the first party actor the item names."""
    if last is not None and last.side in pack.parties:
        return last.side
    for m in doc.mentions:
        ent = pack.entities[m.entity]
        if ent.kind in ("outlet", "place"):
            continue
        side = _side_of_entity(pack, ent.side, ent.stands_for)
        if side in pack.parties:
            return side
    return UNKNOWN_SIDE


def _mentions(doc: Doc, a: int, z: int) -> list[Mention]:
    return [m for m in doc.mentions if a <= m.start and m.end <= z]


def _is_outlet(pack: SeedPack, m: Mention) -> bool:
    return pack.entities[m.entity].kind == "outlet"


def _side_of_entity(pack: SeedPack, side: str, stands_for: str) -> str:
    if stands_for and stands_for in pack.entity_index:
        return pack.entities[pack.entity_index[stands_for]].side
    return side if side in pack.sides else OTHER_SIDE


def _source_for(sources: list[_Source], pos: int) -> _Source | None:
    before = [src for src in sources if src.start <= pos]
    if before:
        return before[-1]
    after = [src for src in sources if src.start > pos]
    return after[0] if after else None


def _dedupe(claims: list[Claim]) -> tuple[Claim, ...]:
    """Drop repeats of a figure (a title restated in the summary), keeping the best-sourced."""
    out: list[Claim] = []
    for claim in claims:
        key = (claim.outcome, claim.low)
        dup = next(
            (
                i
                for i, c in enumerate(out)
                if (c.outcome, c.low) == key
                and (
                    c.victim_side == claim.victim_side
                    or UNKNOWN_SIDE in (c.victim_side, claim.victim_side)
                )
                and (
                    c.claimant_side == claim.claimant_side
                    or UNKNOWN_SIDE in (c.claimant_side, claim.claimant_side)
                )
            ),
            None,
        )
        if dup is None:
            out.append(claim)
        elif _score(claim) > _score(out[dup]):
            out[dup] = claim
    return tuple(out)


def _score(claim: Claim) -> int:
    return (
        (claim.claimant_side != UNKNOWN_SIDE) * 4
        + (claim.victim_side != UNKNOWN_SIDE) * 2
        + (claim.high == claim.low)
    )
