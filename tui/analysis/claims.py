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
from tui.analysis.fold import fold_pattern
from tui.analysis.numbers import Figure, find_figures
from tui.model import OTHER_SIDE, UNKNOWN_SIDE, Claim

if TYPE_CHECKING:
    from tui.seeds import SeedPack, VictimClass

_AUX = (
    r"(?:(?:were|was|have|has|had|been|being|are|is|got|reportedly|allegedly|also|all|later|"
    r"so far|now|since|then|were all|were later|physically|successfully|completely|totally|"
    r"fully|partially|critically|seriously|severely|badly|brutally|subsequently|eventually|"
    r"finally|immediately|instantly|tragically|effectively|confirmed)\s+){0,4}"
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
_TOKEN = re.compile(_NP_WORD + r"|[^\w\s]")
_BETWEEN = re.compile(r"(?<!\w)between(?!\w)")
_PHRASE_END = re.compile(r"[,;:.\"()]|(?<!\w)(?:said|says|that|who|on|in)(?!\w)")
_TRAILING_SOURCE = re.compile(r"[:\-]\s+((?:[\w.'-]+\s*){1,5})$")
# "Mujahid: 58 Pakistani soldiers killed", "Kandahar police: ...": a headline's source first
_LEADING_SOURCE = re.compile(r"([^:\"()\[\]\d]{2,60}?):\s")
# "... shells fired from Afghanistan", "killed in Pakistani air strikes", "clashes with Pakistan":
# a party named after the outcome verb as the one doing the harm
_AGENT_PREP = re.compile(
    r"(?<!\w)(?:in|by|during|after|from|amid|under|with|following|as|when|while)\s+"
)
_AGENT_GAP = re.compile(r"(?:[\w'-]+\s+){0,3}$")
# "took 10 Afghan soldiers prisoner", "held six guards hostage"
_TAKE = re.compile(r"(?<!\w)(?:took|taken|take|takes|taking|held|holding|hold|holds)\s+$")
# "losing 11 soldiers", "Pakistan said it lost 23 troops": the subject's own people killed
_LOST = re.compile(r"(?<!\w)(?:lost|losing|lose|loses)\s+$")
_LOST_AT = re.compile(r"(?:lost|losing|lose|loses)\s")
_PRISONER = re.compile(r"(?<!\w)(?:prisoners?|captives?|hostages?)(?!\w)")
# "three cricketers were among eight people killed": the first figure shares the verb
_JOINER = re.compile(
    r"(?:\s+and|,|(?:\s+(?:were|was|are|is))?\s+(?:among|included in|part of)(?:\s+the)?)\s*$"
)
# "Afghanistan's 21 posts", Urdu "افغان طالبان کی 21 چوکیاں": whose people or posts
_POSSESSIVE = re.compile(r"(?:'s?|\s+(?:کی|کے|کا))\s+$")
_RELATIVE = re.compile(r"(?<!\w)(?:that|which)\s+")
_DATELINE = re.compile(r"\s*([^:\n–—]{2,60}?)\s*(?::|–|—|\s-\s)")
# unnamed sources of the armed forces, as against local and civil officials
_MILITARY = re.compile(
    r"(?<!\w)(?:army|military|security|intelligence|forces|commanders?|troops|media wing|"
    r"defen[cs]e|ذرائع|سکیورٹی|فوج)(?!\w)"
)
_FORCES = re.compile(
    r"(?:'s?)?\s+(?:\w+\s+)?(?:forces|troops|army|military|jets|warplanes|drones|artillery|"
    r"strikes|airstrikes|attacks?|shelling|bombing|raids?|fire|firing|counter[\s-]?attacks?|"
    r"counter[\s-]?offensive|offensive|operations?|retaliation)(?!\w)"
)
_ATTACKING = re.compile(
    fold_pattern(
        r"(?:'s?)?\s+(?:\w+\s+)?(?:attack(?:s|ed|ing)?|assaults?|assaulted|raids?|raided|"
        r"offensive|stormed|حملے|حملوں|حملہ|برید\w*)(?!\w)"
    )
)
# "a large assault by Afghan Taliban fighters": the party after "by" attacks
_ATTACK_BY = re.compile(
    r"(?<!\w)(?:attacks?|assaults?|raids?|offensive|incursions?|onslaught)\s+(?:[\w'-]+\s+){0,3}?"
    r"by\s+(?:the\s+)?$"
)
# "the army repelled a Taliban attack, killing 20": who repels, kills
_REPEL = re.compile(
    r"(?<!\w)(?:repel(?:s|led|ling)?|repuls(?:e|es|ed|ing)|beat(?:s|ing)? back|beaten back|"
    r"foil(?:s|ed|ing)?|thwart(?:s|ed|ing)?|fend(?:s|ed|ing)? off|fought off|fight(?:s|ing)? off|"
    r"push(?:es|ed|ing)? back|countered)(?!\w)"
)
# a country named as a target or location ("strikes on Afghan border province", "in Pakistan")
_TARGET_PREP = re.compile(
    r"(?<!\w)(?:in|at|near|on|over|across|inside|into|against|targeting|to)\s+(?:the\s+)?$"
)
# "death toll in the fighting climbs to 64"
_TOLL_RISE = re.compile(
    r"(?<!\w)toll(?:\s+[\w'-]+){0,7}?\s+(?:rises|rose|risen|climbs|climbed|jumps|jumped|"
    r"reaches|reached|mounts|mounted|increases|increased|soars|soared|stands|stood|hits)\s+"
    r"(?:to|at)\s+$"
)
_POSSESSIVE_PRONOUN = frozenset({"his", "her", "its", "their"})
# "put the death toll at 17", "placed the toll among Pakistani troops at 58"
_TOLL_AT = re.compile(
    r"(?<!\w)(?:put|puts|putting|placed|places|placing)\s+(?:the\s+|their\s+|its\s+)?"
    r"(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|those\s+killed|fatalities))"
    r"(?:\s+(?:among|of|for|on)\s+(?P<np>(?:[\w'-]+\s+){1,4}?))?\s*at\s+$"
)
# "17 civilians, including women and children, were killed": an aside between the victims
# and the verb
_ASIDE = re.compile(
    r"\s*(?:of\s+(?:the\s+|them\s+)?)?(?P<np>(?:[\w'-]+\s+){0,5}?[\w'-]+)\s*,\s*"
    r"(?:including|among them|mostly|mainly|most of them|many of them|some of them|all of them|"
    r"most of whom|many of whom|some of whom|all of whom|both)(?!\w)[^,;:.()]{0,80},\s*"
)
# "nine of their fighters", "23 of its soldiers": the people of the clause's subject
_OWN = re.compile(r"(?:of\s+)?(?:their|its|our)\s")
_BOTH = "both"  # _agent_after: the figure counts both sides
_PAIR = re.compile(r"\s+(?:and|&)\s+")
_REPEATED = frozenset({"others", "more", "other", "another"})
# "killed 10 ... and destroyed 12 posts": the second verb has the first one's subject
_COORDINATED = re.compile(r"(?<!\w)and\s+$")
# "ten killed on both sides": a combined figure belongs to neither party
_BOTH_SIDES = re.compile(r"\s*(?:\w+\s+){0,2}?(?:on|from|of) (?:both|either) sides?(?!\w)")
_LOCATIVE = re.compile(
    r"(?<!\w)(?:in|at|near|on|over|across|inside|into|of|from|to)\s+(?:the\s+)?$"
)
_PRONOUN_SUBJECT = re.compile(
    r"\s*(?:(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tonight|overnight|earlier|later|also)\s+)*(?:that\s+)?(?:they|it|we|(?:its|their|our)\s+\w+)(?!\w)"
)
# ", killing 15 of them": a participle whose subject is the clause's, not the nearest party
_ING = re.compile(r"\w+ing(?!\w)")
_PARTICIPLE = re.compile(r"(?:,\s*|,?\s+and\s+)$")


@dataclass(frozen=True, slots=True)
class _Grammar:
    after: re.Pattern[str]  # figure, victims, auxiliaries, outcome verb
    before: re.Pattern[str]  # outcome verb right before a figure (search in a window)
    before_also: re.Pattern[str]  # "killed and wounded dozens": an outcome joined to it
    also: re.Pattern[str]  # "... killed and injured": a second outcome right after the first
    victim: re.Pattern[str]  # any victim noun
    any_verb: re.Pattern[str]  # any outcome verb: a sentence without one has no claims
    # an outcome verb, "prisoners" or "toll": a sentence with none of them has no claims
    claim_words: re.Pattern[str]
    nouns: re.Pattern[str]  # every victim noun; group v<i> is pack.victims[i]


@lru_cache(maxsize=16)
def _grammar(pack: SeedPack) -> _Grammar:
    verbs = pack.outcome_source
    after = re.compile(
        r"\s*(?:of\s+(?:the\s+|them\s+|whom\s+)?)?"
        r"(?P<np>(?:" + _NP_WORD + r",?\s+){0,6}?)" + _AUX + r"(?P<verb>" + verbs + r")(?!\w)"
    )
    before = re.compile(r"(?<!\w)(?P<verb>" + verbs + r")\s+(?:(?:a total of|the|of)\s+)?$")
    before_also = re.compile(r"(?<!\w)(?P<verb>" + verbs + r")\s+(?:and|or|,)\s*$")
    also = re.compile(
        r"\s*(?:and|or)\s+(?:(?:critically|seriously|severely|badly|also|many|more)\s+)?"
        r"(?P<verb>" + verbs + r")(?!\w)"
    )
    victim = re.compile(r"(?<!\w)(?:" + pack.victim_source + r")(?!\w)")
    any_verb = re.compile(r"(?<!\w)" + verbs + r"(?!\w)")
    claim_words = re.compile(
        r"(?<!\w)(?:"
        + verbs
        + r"|prisoners?|captives?|hostages?|toll|lost|losing|lose|loses)(?!\w)"
    )
    nouns = re.compile(
        r"(?<!\w)(?:"
        + "|".join(f"(?P<v{i}>{c.pattern.pattern})" for i, c in enumerate(pack.victims))
        + r")(?!\w)"
    )
    return _Grammar(after, before, before_also, also, victim, any_verb, claim_words, nouns)


@dataclass(frozen=True, slots=True)
class _Source:
    start: int  # where the attribution verb (or "according to") is
    end: int  # where it ends
    claimant: str
    side: str
    press: bool = False  # attributed to the press: no claimant, and nothing to inherit


@dataclass(slots=True)
class _Victims:
    text: str
    cls: VictimClass | None
    side: str  # from an entity in the phrase, or ""


def find_claims(doc: Doc, pack: SeedPack, sentences: list[tuple[int, int]]) -> tuple[Claim, ...]:
    """Every stated figure in ``sentences`` of ``doc`` that an outcome verb governs.

    A figure's claimant is the source its sentence gives it; a sentence that gives none
    takes the item's latest source (the headline's attribution first); a headline that
    gives none takes the source of the summary's lead.
    """
    grammar = _grammar(pack)
    claims: list[_Found] = []
    last_source: _Source | None = None
    done = 0  # sentences whose sources have been read (lazily: only what a figure needs)
    title_end = doc.text.find("\n")
    if title_end == -1:
        title_end = len(doc.text)
    for index, (s, e) in enumerate(sentences):
        if grammar.claim_words.search(doc.folded, s, e) is None:
            continue
        figures = [
            f for f in find_figures(doc.folded, s, e) if not (f.low <= 1 and f.high in (1, None))
        ]
        if not figures:
            continue
        for ps, pe in sentences[done:index]:
            last_source = _latest(_sources(doc, pack, ps, pe, last_source), last_source)
        sources = _sources(doc, pack, s, e, last_source)
        done = index + 1
        inherited = last_source
        last_source = _latest(sources, last_source)
        previous: _Victims | None = None
        prior_side = ""  # whose people the sentence's previous figure counted
        for fig in figures:
            found = _read_figure(doc, pack, grammar, fig, s, e, figures)
            if found is None:
                continue
            outcomes, victims, verb_pos, verb_first, verb_end = found
            if previous is not None and (
                (victims.cls is None and not victims.text) or victims.text.lower() in _REPEATED
            ):
                victims = previous
            if not victims.side:
                victims.side = _possessor_side(doc, pack, s, fig.start)
            stated = bool(victims.side) or (victims.cls is not None and bool(victims.cls.side))
            if not victims.side and not verb_first and _OWN.match(victims.text.lower()):
                # "the Taliban said nine of their fighters died": the subject's own people
                subject = _first_actor(doc, pack, s, fig.start, last=True)
                if subject in pack.parties:
                    victims.side = subject
            source = _source_for(sources, fig.start)
            if source is None:
                if s < title_end:
                    source = _lead_source(doc, pack, sentences, index, title_end)
                else:
                    source = inherited
            attacker = _attacker(doc, pack, s, verb_pos, sources)
            if (
                verb_first
                and not victims.side
                and attacker in pack.parties
                and _LOST_AT.match(doc.folded, verb_pos)
            ):
                victims = _Victims(victims.text, victims.cls, attacker)  # its own people
            agent = "" if verb_first else _agent_after(doc, pack, verb_end, e)
            for verb_class in outcomes:
                outcome = _outcome(verb_class, victims)
                if outcome is None:
                    continue
                victim_side = _victim_side(
                    pack, doc, victims, source, attacker, agent, verb_first, s, e, prior_side
                )
                if victim_side in pack.parties:
                    prior_side = victim_side
                claims.append(
                    _Found(
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
                        ),
                        s < title_end,
                        stated,
                    )
                )
            previous = victims
    return _dedupe(claims)


def _latest(sources: list[_Source], last: _Source | None) -> _Source | None:
    """The source later sentences inherit: the last one that is not the press."""
    for src in reversed(sources):
        if not src.press:
            return src
    return last


def _lead_source(
    doc: Doc, pack: SeedPack, sentences: list[tuple[int, int]], index: int, title_end: int
) -> _Source | None:
    """The source of a headline's figures when the headline names none: the summary's lead
    ("Pakistani officials said ...", "پولیس کے مطابق ...") in its first two sentences."""
    summary = [(a, z) for a, z in sentences[index + 1 :] if a > title_end][:2]
    last: _Source | None = None
    for a, z in summary:
        found = _sources(doc, pack, a, z, last)
        if found:
            return found[0]
    return None


def _possessor_side(doc: Doc, pack: SeedPack, s: int, at: int) -> str:
    """The party that owns the counted people or posts, named right before the figure."""
    for m in reversed(doc.mentions):
        if m.end > at:
            continue
        if m.start < s or at - m.end > 6:
            break
        if not _POSSESSIVE.match(doc.folded, m.end, at) and not (
            m.start >= 2 and doc.folded[m.start - 2 : m.start] == "د " and at - m.end <= 1
        ):
            break
        ent = pack.entities[m.entity]
        side = _side_of_entity(pack, ent.side, ent.stands_for)
        return side if side in pack.parties else ""
    return ""


def _agent_after(doc: Doc, pack: SeedPack, verb_end: int, e: int) -> str:
    """The party that did the harm, named after the outcome verb: "killed in Pakistani air
    strikes", "wounded by Afghan fire", "killed in clashes with Pakistan", "shells fired
    from Afghanistan". Places are locations, not agents."""
    folded = doc.folded
    if _BOTH_SIDES.match(folded, verb_end, e):
        return _BOTH
    stop = min(e, verb_end + 120)
    brk = re.compile(r"[;.]").search(folded, verb_end, stop)
    if brk is not None:
        stop = brk.start()
    for m in doc.mentions:
        if m.start < verb_end:
            continue
        if m.start >= stop:
            break
        ent = pack.entities[m.entity]
        if ent.kind in ("outlet", "place"):
            continue
        side = _side_of_entity(pack, ent.side, ent.stands_for)
        if side not in pack.parties:
            continue
        if _PAIR.match(folded, m.end) and any(
            _side_of_entity(pack, pack.entities[n.entity].side, pack.entities[n.entity].stands_for)
            == pack.opponent(side)
            for n in _mentions(doc, m.end, min(stop, m.end + 40))
        ):
            return ""  # "as Pakistan and Afghanistan clash": both are doing it
        # the nearest preposition before the party, at most three words before it
        prep = None
        for p in _AGENT_PREP.finditer(folded, max(verb_end, m.start - 40), m.start):
            prep = p
        if prep is None or not _AGENT_GAP.match(folded, prep.end(), m.start):
            return ""
        if prep.group().strip() in ("by", "from", "with"):
            return side
        after = m.end + 32
        if pack.means_all.search(folded, m.end, after) or pack.strike.search(folded, m.end, after):
            return side
        return ""
    return ""


# outcome verb classes, the victims, where the action is, whether the verb came first,
# and where the outcome verb ends
_Reading = tuple[list[str], _Victims, int, bool, int]


def _read_figure(
    doc: Doc, pack: SeedPack, grammar: _Grammar, fig: Figure, s: int, e: int, figures: list[Figure]
) -> _Reading | None:
    nxt = next((f.start for f in figures if f.start > fig.start), e)
    return (
        _verb_first(doc, pack, grammar, fig, s, e, nxt)
        or _taken_prisoner(doc, pack, grammar, fig, s, e, nxt)
        or _figure_first(doc, pack, grammar, fig, s, e, nxt)
        or _toll_at(doc, pack, fig, s)
        or _lost(doc, pack, grammar, fig, e, nxt)
    )


def _lost(
    doc: Doc, pack: SeedPack, grammar: _Grammar, fig: Figure, e: int, nxt: int
) -> _Reading | None:
    """ "losing 11 soldiers": people (not posts, not anything else) the subject lost."""
    b = _LOST.search(doc.folded, max(0, fig.start - 8), fig.start)
    if b is None:
        return None
    a, z = _phrase_after(doc.folded, fig.end, min(e, nxt), grammar)
    victims = _victims(doc, pack, a, z)
    if victims.cls is None or victims.cls.posts:
        return None
    return ["killed"], victims, b.start(), True, b.end()


def _toll_at(doc: Doc, pack: SeedPack, fig: Figure, s: int) -> _Reading | None:
    """ "put the death toll at 17", "put the toll among Pakistani troops at 58": a toll
    stated by the speaker, of the people named after "among" (if any)."""
    m = _TOLL_AT.search(doc.folded, max(s, fig.start - 90), fig.start)
    if m is None:
        rise = _TOLL_RISE.search(doc.folded, max(s, fig.start - 90), fig.start)
        if rise is None:
            return None
        # "death toll in the fighting climbs to 64 (on both sides)"
        return ["killed"], _Victims("", None, ""), rise.start(), False, fig.end
    a, z = m.span("np") if m.group("np") is not None else (fig.start, fig.start)
    victims = _victims(doc, pack, a, z)
    return ["killed"], victims, m.start(), False, fig.end


def _figure_first(
    doc: Doc, pack: SeedPack, grammar: _Grammar, fig: Figure, s: int, e: int, nxt: int
) -> _Reading | None:
    """Figure before the verb: "23 soldiers were killed", "dozens killed and injured"."""
    folded = doc.folded
    m = grammar.after.match(folded, fig.end, e)
    if m is not None:
        np_start, np_end = m.span("np")
    else:
        aside = _ASIDE.match(folded, fig.end, e)
        if aside is None:
            return None
        m = grammar.after.match(folded, aside.end(), e)
        if m is None or m.group("np").strip():
            return None
        np_start, np_end = aside.span("np")
    words = folded[np_start:np_end].split()
    if words and words[0] in _UNITS:
        return None
    if any(w in ("said", "says", "claimed", "told") for w in words):
        return None
    cut = min(np_end, nxt)
    if nxt < np_end:
        # "five soldiers and 25 fighters killed": this figure's phrase stops at "and"
        joiner = _JOINER.search(folded, np_start, nxt)
        if joiner is None:
            return None
        cut = joiner.start()
    victims = _victims(doc, pack, np_start, cut)
    if folded[np_start:cut].split() and victims.cls is None and not victims.side:
        return None
    if not victims.text:
        # "seven captured Pakistani soldiers": the participle before its noun
        a, z = _phrase_after(folded, m.end(), min(e, nxt), grammar)
        following = _victims(doc, pack, a, z) if z > a else None
        if following is not None and following.cls is not None:
            victims = following
    outcomes = [_verb_class(m)]
    also = grammar.also.match(folded, m.end(), e)
    if also is not None and _verb_class(also) != outcomes[0]:
        outcomes.append(_verb_class(also))
    return outcomes, victims, fig.start, False, m.end()


def _verb_first(
    doc: Doc, pack: SeedPack, grammar: _Grammar, fig: Figure, s: int, e: int, nxt: int
) -> _Reading | None:
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
    outcomes = [_verb_class(b)]
    joined = grammar.before_also.search(folded, max(s, b.start() - 24), b.start())
    if joined is not None and _verb_class(joined) not in outcomes:
        # "strikes killed and wounded dozens": both outcomes of the same figure
        outcomes.insert(0, _verb_class(joined))
        return outcomes, victims, joined.start(), True, b.end()
    return outcomes, victims, b.start(), True, b.end()


def _taken_prisoner(
    doc: Doc, pack: SeedPack, grammar: _Grammar, fig: Figure, s: int, e: int, nxt: int
) -> _Reading | None:
    """ "took 10 Afghan Taliban fighters prisoner", "had taken several soldiers captive"."""
    folded = doc.folded
    b = _TAKE.search(folded, max(s, fig.start - 12), fig.start)
    if b is None:
        return None
    tail = _PRISONER.search(folded, fig.end, min(e, nxt, fig.end + 60))
    if tail is None or re.search(r"[,;:.]", folded[fig.end : tail.start()]):
        return None
    np_start, np_end = _phrase_after(folded, fig.end, tail.start(), grammar)
    victims = _victims(doc, pack, np_start, np_end)
    return ["captured"], victims, b.start(), True, tail.end()


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
    # the head noun is the last one: "Taliban posts" are posts, "Afghan Taliban fighters" fighters
    # "posts of the Afghan Taliban", "soldiers of the Frontier Corps": the head is before "of"
    of = phrase.find(" of ")
    limit = len(phrase) if of == -1 else of
    nouns = [
        (found.end(), int(found.lastgroup[1:]))
        for found in _grammar(pack).nouns.finditer(phrase)
        if found.lastgroup is not None
    ]
    pool = [x for x in nouns if x[0] <= limit] or nouns
    cls = pack.victims[max(pool, key=lambda x: (x[0], -x[1]))[1]] if pool else None
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
    if _COORDINATED.search(doc.folded, max(clause_start, pos - 6), pos):
        earlier = None
        for verb in _grammar(pack).any_verb.finditer(doc.folded, clause_start, pos - 4):
            earlier = verb
        if earlier is not None:
            return _attacker(doc, pack, s, earlier.start(), sources)
    if _BETWEEN.search(doc.folded, clause_start, pos):
        return UNKNOWN_SIDE
    pronoun = speaker is not None and _PRONOUN_SUBJECT.match(doc.folded, clause_start, pos)
    participle = (
        _PARTICIPLE.search(doc.folded, max(clause_start, pos - 8), pos) is not None
        and _ING.match(doc.folded, pos) is not None
    )
    if participle and pronoun and speaker is not None:
        # "X said its troops repulsed attacks by Y, killing 15": the troops did the killing
        return speaker.side
    if participle:
        repel = _REPEL.search(doc.folded, clause_start, pos)
        if repel is not None:
            # "the army repelled a Taliban attack, killing 20": the repelled party's people
            repelled = _first_actor(doc, pack, repel.end(), pos)
            if repelled in pack.parties:
                return pack.opponent(repelled)
    sides: list[str] = []
    for m in doc.mentions:
        if clause_start <= m.start and m.end <= pos:
            ent = pack.entities[m.entity]
            # a place acts only as a metonym ("Kabul retaliated"), never as a target or location
            if ent.kind == "outlet" or (
                ent.kind == "place" and (not ent.stands_for or _locative(doc.folded, m.start))
            ):
                continue
            if ent.kind == "country" and _target(doc.folded, m.start):
                continue  # "strikes on Afghan border province kill 10"
            side = _side_of_entity(pack, ent.side, ent.stands_for)
            if side in pack.parties:
                sides.append(side)
    if sides:
        return sides[0] if participle else sides[-1]
    if pronoun and speaker is not None:
        return speaker.side
    return UNKNOWN_SIDE


def _target(folded: str, start: int) -> bool:
    """Whether the word before ``start`` makes a country a target or a location."""
    return _TARGET_PREP.search(folded, max(0, start - 16), start) is not None


def _locative(folded: str, start: int) -> bool:
    """Whether the word before ``start`` makes a place a location, not an actor."""
    return _LOCATIVE.search(folded, max(0, start - 16), start) is not None


def _victim_side(
    pack: SeedPack,
    doc: Doc,
    victims: _Victims,
    source: _Source | None,
    attacker: str,
    agent: str,
    verb_first: bool,
    s: int,
    e: int,
    prior_side: str,
) -> str:
    if victims.side:
        return victims.side
    if agent == _BOTH:
        return UNKNOWN_SIDE
    cls = victims.cls
    if cls is not None and cls.attackers:
        actor = _attacking_party(doc, pack, s, e)
        if actor:
            return actor
    if cls is not None and cls.side:
        return cls.side
    claimant = source.side if source is not None else UNKNOWN_SIDE
    if verb_first and attacker in pack.parties:
        return pack.opponent(attacker)
    if agent in pack.parties:
        return pack.opponent(agent)
    if cls is None:
        # "nine dead after overnight strikes on Kandahar": the dead are where the strikes fell
        return _place_side(pack, doc, s, e) or UNKNOWN_SIDE
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
        if not cls.own_side:
            # people or civilians: where the item's places are, if they are one party's
            return _place_side(pack, doc, 0, len(doc.text)) or UNKNOWN_SIDE
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
    """Attributions in the sentence [s, e), in order; the press counts as no claimant."""
    folded = doc.folded
    out: list[_Source] = []
    lead = _LEADING_SOURCE.match(folded, s, e)
    if lead is not None:
        source = _leading(doc, pack, s, lead.end(1), (s, e), last)
        if source is not None:
            out.append(source)
            last = source
    for m in pack.attribution.finditer(folded, s, e):
        source = _source_before(doc, pack, s, m.start(), m.end(), e, last)
        if source is not None:
            out.append(source)
            if not source.press:
                last = source
    for m in pack.according_to.finditer(folded, s, e):
        end = _phrase_end(folded, m.end(), e)
        source = _resolve(doc, pack, m.end(), end, (m.start(), end), last, (s, e))
        if source is not None:
            out.append(source)
    tail = _TRAILING_SOURCE.search(folded, s, e)
    if tail is not None and tail.end() == e:
        source = _resolve(doc, pack, tail.start(1), tail.end(1), (tail.start(), e), last, (s, e))
        if source is not None:
            out.append(source)
    out.sort(key=lambda src: src.start)
    return out


def _leading(
    doc: Doc, pack: SeedPack, s: int, colon: int, sent: tuple[int, int], last: _Source | None
) -> _Source | None:
    """ "Mujahid: ...", "Kandahar police: ...", "Mirwais hospital: ...": a source before a
    colon. A place or a country alone is a dateline or a topic ("QUETTA:", "Afghanistan:")."""
    folded = doc.folded
    z = colon
    while z > s and folded[z - 1] in " '\"":
        z -= 1
    phrase = folded[s:z]
    if not phrase.strip() or len(phrase.split()) > 6:
        return None
    head = None
    for m in _mentions(doc, s, z):
        head = m
    if head is not None and pack.entities[head.entity].kind == "outlet":
        return None
    ends_with_entity = (
        head is not None
        and head.end == z
        and pack.entities[head.entity].kind not in ("place", "country")
    )
    ends_with_title = any(
        m.end() == z for pattern in (pack.neutral, pack.official) for m in pattern.finditer(phrase)
    )
    if not ends_with_entity and not ends_with_title:
        return None
    return _resolve(doc, pack, s, z, (s, colon), last, sent)


def _phrase_end(folded: str, start: int, e: int) -> int:
    m = _PHRASE_END.search(folded, start, e)
    return m.start() if m else e


def _inverted(
    doc: Doc, pack: SeedPack, v0: int, v1: int, e: int, last: _Source | None
) -> _Source | None:
    """ "..., says Tarar", "..., said the military's media wing.": a named source right after
    the verb, running to the end of the sentence or to a comma."""
    folded = doc.folded
    end = v1
    brk = re.compile(r"[,;:.(]").search(folded, v1, e)
    end = brk.start() if brk is not None else e
    while end > v1 and folded[end - 1] in " '\"”’":
        end -= 1
    phrase = folded[v1:end]
    words = phrase.split()
    if not words or len(words) > 7 or any(c.isdigit() for c in phrase):
        return None
    if _grammar(pack).any_verb.search(phrase) or pack.attribution.search(phrase):
        return None
    named = any(
        pack.entities[m.entity].kind != "outlet"
        and not (pack.entities[m.entity].kind == "place" and _locative(folded, m.start))
        for m in _mentions(doc, v1, end)
    )
    if not named and not (pack.official.search(phrase) or pack.neutral.search(phrase)):
        return None
    return _resolve(doc, pack, v1, end, (v0, end), last, (v0, e))


def _source_before(
    doc: Doc, pack: SeedPack, s: int, v0: int, v1: int, e: int, last: _Source | None
) -> _Source | None:
    folded = doc.folded
    sent = (s, e)
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
        if comma != -1 and _grammar(pack).any_verb.search(folded, comma + 1, pre_end):
            # "Pakistan bombs Kabul, several civilians killed, says Taliban": a clause, not
            # an appositive, before the verb; the source comes after it
            inverted = _inverted(doc, pack, v0, v1, e, last)
            if inverted is not None:
                return inverted
        if comma != -1:
            head_start = folded.rfind(",", start, comma)
            head_start = start if head_start == -1 else head_start + 1
            head = _resolve(doc, pack, head_start, comma, (v0, v1), None, sent, strict=True)
            tail = _resolve(doc, pack, comma + 1, pre_end, (v0, v1), None, sent, strict=True)
            if head is not None and tail is not None:
                person = _has_person(doc, pack, comma + 1, pre_end)
                return tail if person and not _has_person(doc, pack, head_start, comma) else head
            if head is not None or tail is not None:
                return head or tail
        # "... killed in a week, says Tarar"
        inverted = _inverted(doc, pack, v0, v1, e, last)
        if inverted is not None:
            return inverted
    else:
        comma = folded.rfind(",", start, pre_end)
        if comma != -1:
            start = comma + 1
        # "... raids that local officials say killed 26": the source starts after "that"
        for rel in _RELATIVE.finditer(folded, start, pre_end):
            if folded[rel.end() : pre_end].strip():
                start = rel.end()
    if folded[v0:v1] == "saying":
        # "The Afghanistan Cricket Board has withdrawn ..., saying": the clause's subject
        subject = _subject(doc, pack, s, pre_end)
        if subject is not None:
            text = doc.text[subject.start : subject.end]
            return _Source(v0, v1, text, _mention_side(pack, subject))
    # keep the last few words only
    words = list(re.finditer(r"\S+", folded[start:pre_end]))
    if len(words) > 9:
        if len(words) <= 14:
            # "hospital officials on both sides of the Chaman crossing said"
            neutral = pack.neutral.search(folded, start, pre_end)
            if neutral is not None and neutral.start() - start < 16:
                return _Source(v0, v1, doc.text[neutral.start() : pre_end], pack.neutral_side)
        start = start + words[-9].start()
    if start >= pre_end or folded[start:pre_end].strip() in ("", '"'):
        # inverted: '..., said ISPR' / '"...," said the spokesman'
        end = _phrase_end(folded, v1, e)
        return _resolve(doc, pack, v1, end, (v0, end), last, sent)
    return _resolve(doc, pack, start, pre_end, (v0, v1), last, sent)


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
    sent: tuple[int, int],
    strict: bool = False,
) -> _Source | None:
    """A source from the phrase [a, z): its entities, else pronoun or neutral or generic.

    The press ("state media", "Reuters") is a source without a claimant."""
    folded = doc.folded
    while a < z and folded[a] in " ,'\"-":
        a += 1
    while z > a and folded[z - 1] in " ,'\"-":
        z -= 1
    if a >= z:
        return None
    phrase = folded[a:z]
    text = doc.text[a:z]
    if not strict and pack.neutral.search(phrase):
        return _Source(at[0], at[1], text, pack.neutral_side)
    if not strict and any(m.end() == len(phrase) for m in pack.press.finditer(phrase)):
        return _Source(at[0], at[1], "", UNKNOWN_SIDE, press=True)  # "Pakistani media"
    for m in doc.mentions:
        if a <= m.start and m.end <= z:
            ent = pack.entities[m.entity]
            if ent.kind == "outlet" or (ent.kind == "place" and _locative(folded, m.start)):
                continue
            if ent.kind == "country" and m.start > a and _target(folded, m.start):
                continue  # "withdrawn from the series in Pakistan": a place, not a speaker
            return _Source(at[0], at[1], text, _side_of_entity(pack, ent.side, ent.stands_for))
    if strict:
        return None
    words = phrase.split()
    if words[0] in _POSSESSIVE_PRONOUN and pack.official.search(phrase):
        # "Guterres is concerned ..., his spokesperson said": the sentence's subject's
        subject = _subject(doc, pack, sent[0], a)
        if subject is not None:
            return _Source(at[0], at[1], text, _mention_side(pack, subject))
    if pack.press.search(phrase) or any(_is_outlet(pack, m) for m in _mentions(doc, a, z)):
        return _Source(at[0], at[1], "", UNKNOWN_SIDE, press=True)
    if words and words[-1] in _PRONOUNS:
        return _Source(at[0], at[1], last.claimant, last.side) if last is not None else None
    if len(words) > 6:
        return None
    if pack.official.search(phrase):
        military = _MILITARY.search(phrase) is not None
        return _Source(at[0], at[1], text, _context_party(doc, pack, last, sent, military))
    return _Source(at[0], at[1], text, UNKNOWN_SIDE)


def _context_party(
    doc: Doc, pack: SeedPack, last: _Source | None, sent: tuple[int, int], military: bool
) -> str:
    """The party an unnamed official source ("the deputy commissioner", "local officials",
    "security sources") speaks for, when its own words name none: the party of the item's
    previous source, else of the summary's dateline ("QUETTA:"), else of the places the
    sentence names, else of the places the item names (each only when it names one party),
    else the first party actor of the sentence."""
    if last is not None and last.side in pack.parties:
        return last.side
    dateline = _dateline_side(doc, pack)
    if dateline:
        return dateline
    if military:
        # "Pakistani strikes on Paktika killed 30 militants, security sources said": a
        # military source speaks for the force that acts, not for where it struck
        actor = _acting_party(doc, pack, sent[0], sent[1])
        if actor:
            return actor
    return (
        _place_side(pack, doc, sent[0], sent[1])
        or _place_side(pack, doc, 0, len(doc.text))
        or _first_actor(doc, pack, sent[0], sent[1])
    )


def _acting_party(doc: Doc, pack: SeedPack, s: int, e: int) -> str:
    """The party named as acting in the sentence: right before a means of attack or its
    forces ("Pakistani strikes", "Afghan forces' shelling", "Pakistani jets")."""
    for m in _mentions(doc, s, e):
        ent = pack.entities[m.entity]
        if ent.kind in ("outlet", "place"):
            continue
        side = _side_of_entity(pack, ent.side, ent.stands_for)
        if side not in pack.parties:
            continue
        counted = _grammar(pack).after.match(doc.folded, m.end, e)
        if counted is not None and len(counted.group("np").split()) <= 1:
            continue  # "50 Taliban fighters killed in Pakistani counterattack": the victims
        if ent.kind == "military" or _FORCES.match(doc.folded, m.end, e):
            return side
        found = pack.means_all.search(doc.folded, m.end, min(e, m.end + 24))
        if found is not None and found.start() - m.end <= 12:
            return side
    return ""


def _attacking_party(doc: Doc, pack: SeedPack, s: int, e: int) -> str:
    """The party the sentence names as attacking ("Afghan Taliban attack repulsed", "افغان
    طالبان کے حملے"); "" when the first attacker named is not a party (a TTP attack)."""
    for m in _mentions(doc, s, e):
        ent = pack.entities[m.entity]
        if ent.kind in ("outlet", "place"):
            continue
        if not _ATTACKING.match(doc.folded, m.end, e) and not _ATTACK_BY.search(
            doc.folded, max(s, m.start - 60), m.start
        ):
            continue
        side = _side_of_entity(pack, ent.side, ent.stands_for)
        return side if side in pack.parties else ""
    return ""


_SPEAKERS = frozenset({"person", "organisation", "government", "military", "country"})


def _subject(doc: Doc, pack: SeedPack, s: int, z: int) -> Mention | None:
    """The first speaker-like entity the clause [s, z) names, not as a place or target."""
    for m in _mentions(doc, s, z):
        ent = pack.entities[m.entity]
        if ent.kind not in _SPEAKERS:
            continue
        if ent.kind == "country" and _target(doc.folded, m.start):
            continue
        return m
    return None


def _mention_side(pack: SeedPack, m: Mention) -> str:
    ent = pack.entities[m.entity]
    return _side_of_entity(pack, ent.side, ent.stands_for)


def _first_actor(doc: Doc, pack: SeedPack, s: int, e: int, *, last: bool = False) -> str:
    """The first (or the ``last``) party actor, not a place, the sentence names in [s, e):
    "Pakistani strike in Afghanistan kills 25 militants, army says" — the army of the strike."""
    found = UNKNOWN_SIDE
    for m in _mentions(doc, s, e):
        ent = pack.entities[m.entity]
        if ent.kind in ("outlet", "place"):
            continue
        side = _side_of_entity(pack, ent.side, ent.stands_for)
        if side in pack.parties:
            if not last:
                return side
            found = side
    return found


def _dateline_side(doc: Doc, pack: SeedPack) -> str:
    """The party of the place a summary is datelined from: "PESHAWAR, Pakistan (AP) —",
    "KANDAHAR CITY (Pajhwok):", "اسلام آباد:"."""
    start = doc.text.find("\n") + 1
    if start == 0:
        return ""
    m = _DATELINE.match(doc.folded, start)
    if m is None or len(m.group(1).split()) > 6:
        return ""
    sides: set[str] = set()
    for mention in _mentions(doc, m.start(1), m.end(1)):
        ent = pack.entities[mention.entity]
        if ent.kind not in ("place", "country", "outlet"):
            return ""
        if ent.kind != "outlet" and ent.side in pack.parties:
            sides.add(ent.side)
    return sides.pop() if len(sides) == 1 else ""


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


@dataclass(frozen=True, slots=True)
class _Found:
    claim: Claim
    in_title: bool
    stated: bool  # the victims' side is stated (an entity or a sided noun), not inferred


def _dedupe(found: list[_Found]) -> tuple[Claim, ...]:
    """Drop repeats of a figure (a title restated in the summary), keeping the best-sourced.

    A headline's figure restated in the summary is one claim even when the two readings
    give it different sides: the one that states the victims' side wins ("claim 55 soldiers
    killed" / "killing 55 Pakistani soldiers"), else the better-sourced, else the summary's
    (it says more).
    """
    claims: list[Claim] = []
    headline: dict[int, _Found] = {}  # index in claims → the headline reading it holds
    for f in found:
        claim = f.claim
        if not f.in_title:
            dup = next(
                (
                    i
                    for i, h in headline.items()
                    if (h.claim.outcome, h.claim.low, h.claim.high)
                    == (claim.outcome, claim.low, claim.high)
                ),
                None,
            )
            if dup is not None:
                h = headline.pop(dup)
                if f.stated != h.stated:
                    if f.stated:
                        claims[dup] = claim
                elif _score(claim) >= _score(h.claim):
                    claims[dup] = claim
                continue
        else:
            headline[len(claims)] = f
        claims.append(claim)
    return _merge(claims)


def _merge(claims: list[Claim]) -> tuple[Claim, ...]:
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
