"""Strikes: who struck what, as the text states it.

One ``Strike`` per sentence with a strike term (``categories.strike`` less
``categories.strike_exclude``).

attacker_side is a party only when the sentence says who attacked; otherwise "unknown".
The strike terms are read in order, and the first that settles it decides:

1. The agent of the term. The party named right before it with only such words as
   "forces", "jets", "had carried out", "retaliatory" between ("Pakistani jets struck",
   "Pakistan carried out strikes", "Afghan forces' shelling", "Taliban units overran",
   "X launched retaliatory attacks"); a pronoun standing for the sentence's speaker ("the
   Islamic Emirate said its fighters struck", "our forces destroyed"); or the party after
   "by"/"from" ("strikes by Pakistan", "shells fired from Afghanistan"; Pashto "له خوا",
   Urdu "کی جانب سے"). A place is an agent only as a metonym ("Kabul retaliated"), never
   after a preposition ("strikes in Kabul"). An agent joined to the other party ("Pakistani
   and Taliban forces exchanged fire", "Pakistan-Afghanistan strikes") is both: unknown;
   an agent that is no party (the TTP) is no attacker between the parties: unknown.
   A term of mutual fighting ("clashes", "skirmishes", "exchanged fire", "fighting",
   "hostilities", Urdu "جھڑپیں", Pashto "نښتې") names no agent.
2. A report by one side of its own strikes: the term falls on places of party A ("strikes
   on Kabul", "counter-strikes into Afghanistan", "operations against targets in
   Afghanistan") and the sentence's speaker is the other party's ("Pakistan says ...",
   "Spokesman Zaidi wrote that ..."). The same report from A's own speaker does not say who.

When no term settles it, and the sentence is not an appeal or mediation ("urged an end to
the fighting", "appeals for restraint", "called on both to stop the hostilities"), the
victims may: the casualty claims read from the sentence whose victims are one party's
people or posts ("Taliban say 55 Pakistani soldiers killed"), or one party's people or
posts named as hit ("a Taliban command post hit by an air strike") while the other party
is named in the sentence, make the other party the attacker — unless an armed group that
is neither party is named and may have done it. Otherwise the attacker is unknown.

targets are the places (kind "place") the strike falls on: named after a preposition of
place or target ("in", "on", "near", "into", "targeting", "hit"; Urdu "میں"/"پر" after
the name, Pashto "په ... کې"), in a list after one ("in Kabul, Kandahar and Paktia"), or
after the first strike term; never after "from"/"to", never negated ("not at Afghan
sites"), never a dateline ("KABUL (Reuters) -"), a metonym that speaks ("Kabul says") or a
place of the attacker's own. A country is a target only when no place is ("counter-strikes
into Afghanistan", "attacks on Pakistani border installations").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.analysis.doc import Doc, Mention
from tui.analysis.fold import fold, fold_pattern
from tui.model import UNKNOWN_SIDE, Claim, Strike

if TYPE_CHECKING:
    from tui.seeds import SeedPack

__all__ = ["find_strikes", "strikes_from_claims"]

# A strike term that names fighting between the two, not an attack by one of them.
_MUTUAL = re.compile(
    fold_pattern(
        r"(?:clash|skirmish|exchang|trad(?:e|ed|es|ing) (?:heavy )?fire|fighting|hostilities|"
        r"violence|war(?!\w)|جھڑپ|فائرنگ کا تبادلہ|نښت|درگیری|ډزې)"
    )
)
# Words that may stand between an agent and its strike term ("Pakistani air force jets had
# carried out fresh strikes"): the agent's arms and units, auxiliaries, launch verbs, time
# and manner words. Never a verb of saying: "Pakistan says strikes ..." names a speaker.
_FILLER_WORDS = (
    """
        ' s - the a an own security armed air force forces troops army military jet jets
        fighter fighters warplane warplanes aircraft drone drones artillery gun guns
        gunships helicopters tanks unit units soldiers border frontier guard guards corps
        personnel militia commandos special ground had has have having was were is are been
        also reportedly allegedly again then overnight late early on last night today
        yesterday monday tuesday wednesday thursday friday saturday sunday carried carry
        carries carrying out launched launch launches launching conducted conduct conducts
        conducting began begin begins mounted mount mounts staged stage stages unleashed
        unleash unleashes resumed resume resumes intensified intensify continued continue
        continues fired fire fires responded respond responds with in retaliation series of
        wave waves fresh new heavy more further several multiple intense retaliatory
        punitive precision targeted deadly cross counter
    """
    # Urdu and Pashto: forces, army, aircraft; the possessive and ergative particles
    """
        فورسز فوج افواج طیاروں طیارے جنگی سکیورٹی سیکیورٹی کی کے کا نے ځواکونو ځواکونه پوځ د
    """
)
_FILLER = frozenset(fold(w) for w in _FILLER_WORDS.split())
_TOKEN = re.compile(r"[^\W\d_]+|\S")
_PRONOUN = re.compile(r"(?<!\w)(?:its|their|our|we|they)(?!\w)")
_JOINED = re.compile(fold_pattern(r"\s*(?:and|&|-|/|,|or|اور|او|و)\s*"))
# "strikes by Pakistan", "shells fired from Afghanistan", "attacks carried out by the Taliban"
_BY = re.compile(r"(?<!\w)(?:by|from)\s+(?:the\s+)?(?:(?:across the border|inside)\s+(?:in\s+)?)?$")
_BY_GAP = frozenset(
    {"were", "was", "is", "are", "been", "being", "had", "have", "has", "out", "reportedly"}
)
# Urdu "X کی جانب سے", "X کی طرف سے" and Pashto "د X له خوا": by X
_BY_AFTER = re.compile(fold_pattern(r"\s+(?:(?:کی|کے) (?:جانب|طرف) سے|(?:\S+\s+)?له\s+خوا)"))
# a preposition that makes a place a location or target, not an actor
_LOCATIVE = re.compile(
    r"(?<!\w)(?:in|at|near|on|over|across|inside|into|of|from|to|along|against|targeting)"
    r"\s+(?:the\s+)?$"
)
# (Pashto "کې" folds to Urdu "کی", of: "په X کې" is read from "په")
_POSTPOSITION = re.compile(fold_pattern(r"\s+(?:میں|پر|کے اندر|کښې)(?!\w)"))
_TARGET_BEFORE = re.compile(
    fold_pattern(
        r"(?<!\w)(?:in|at|near|on|over|inside|into|across|along|against|targeting|targeted|"
        r"hit|hitting|hits|struck|striking|pounded|pounding|shelled|shelling|bombed|bombing|"
        r"outside|around|of|په|پر|در)\s+(?:the\s+)?(?:(?:[\w-]+)\s+(?=province|district))?$"
    )
)
_NOT_TARGET = re.compile(
    r"(?<!\w)(?:from|to|towards?|with|not\s+(?:in|at|on|against|into)|"
    r"call(?:s|ed|ing)?\s+(?:on|upon)|urg(?:e|es|ed|ing))\s+(?:the\s+)?$"
)
# a term by which a side names its own strikes ("counter-strikes", "retaliatory raids")
_OWN_TERM = re.compile(r"(?:counter|retaliat|our\s)")
# "the Pakistan-Afghanistan border", "the Afghan frontier": the country names a border
_COUNTRY_AS_BORDER = re.compile(
    fold_pattern(
        r"(?:(?:\s*-\s*[\w']+)?\s+(?:border|frontier)(?!\w)(?!\s+(?:posts?|checkposts?|"
        r"installations|positions|villages?|towns?|areas?|districts?|provinces?))|"
        r"\s+(?:کی|کے)\s+سرحد)"
    )
)
_LIST = re.compile(r"\s*(?:,|and|&|or|, and)\s*")
_DATELINE = re.compile(r"(?:\s*,\s*[\w .]{2,25}?)?\s*(?:\([^)]{0,40}\))?\s*(?:-|:)\s")
_SPEAKER_GAP = re.compile(r"(?:'s?)?(?:\s+[\w.'-]+){0,5}\s*")
_LEAD = re.compile(r"[^:,;.]{2,50}?:\s")
# an appeal or mediation: who fought is not what the sentence says
_APPEAL = re.compile(
    r"(?<!\w)(?:appeal\w*|urg(?:e|ed|es|ing)|call(?:s|ed|ing)? (?:on|for)|restraint|"
    r"de-?escalat\w*|an end to|end (?:to )?the|stop the|halt the|mediat\w*|"
    r"offer(?:s|ed)? to (?:host|mediate)|ready to host)(?!\w)"
)
# one party's people or posts, named as the object of a strike
_VICTIM_NP = re.compile(
    r"(?:'s?)?\s+(?:[\w-]+\s+){0,2}?(?:posts?|checkposts?|check posts?|checkpoints?|outposts?|"
    r"positions|installations|bases?|camps?|hideouts?|headquarters|"
    r"command (?:posts?|cent(?:re|er)s?)|soldiers|troops|fighters|civilians|villages?|"
    r"targets?|guards|personnel)(?!\w)"
)
_HIT_AFTER = re.compile(
    r"\s+(?:(?:that|which)\s+)?(?:(?:was|were|had been|have been|has been|being)\s+)?"
    r"(?:hit|struck|targeted|bombed|shelled|destroyed|seized|captured|overrun|attacked|"
    r"killed|pounded|razed|flattened|dead|died|martyred|wounded|injured)(?!\w)"
)
_HIT_BEFORE = re.compile(
    r"(?<!\w)(?:on|against|at|targeting|targeted|struck|hit|hitting|pounded|shelled|bombed|"
    r"attacked|destroyed|seized|captured|overran|stormed)\s+(?:the\s+|several\s+|\d+\s+)?$"
)
_AGENT_KINDS = frozenset({"country", "government", "military", "armed group", "person"})


def find_strikes(
    doc: Doc, pack: SeedPack, sentences: list[tuple[int, int]], claims: tuple[Claim, ...] = ()
) -> tuple[Strike, ...]:
    folded = doc.folded
    found = [m.span() for m in pack.strike.finditer(folded)]
    if not found:
        return ()
    out: list[Strike] = []
    for s, e in sentences:
        terms = [span for span in found if s <= span[0] < e]
        if not terms:
            continue
        if pack.strike_exclude is not None:
            excluded = [m.span() for m in pack.strike_exclude.finditer(folded, s, e)]
            terms = [t for t in terms if _outside(t, excluded)]
            if not terms:
                continue
        means: list[str] = []
        for m in pack.means_all.finditer(folded, s, e):
            name = m.lastgroup
            if name is not None:
                label = pack.means[int(name[1:])][0]
                if label not in means:
                    means.append(label)
        reading = _Sentence(doc, pack, s, e, terms)
        attacker = reading.attacker(claims)
        strike = Strike(attacker, reading.targets(attacker), tuple(means), doc.text[s:e], (s, e))
        if strike not in out:
            out.append(strike)
    return tuple(out)


def strikes_from_claims(doc: Doc, pack: SeedPack, claims: tuple[Claim, ...]) -> tuple[Strike, ...]:
    """A figure of one party's people or posts killed, wounded, captured or missing reports an
    attack by the other ("Mujahid: 58 Pakistani soldiers killed", "Pakistan says it took 10
    Afghan fighters prisoner"), unless its sentence names an armed group that is neither party
    and may have done it (a TTP attack on Pakistani troops is not one between the parties; a
    group that fights on one party's soil does not kill the other's people: "250 Afghan
    Taliban and khawarij killed")."""
    out: list[Strike] = []
    for claim in claims:
        if claim.victim_side not in pack.parties or _third_group(doc, pack, claim):
            continue
        strike = Strike(pack.opponent(claim.victim_side), (), (), claim.evidence, claim.span)
        if strike not in out:
            out.append(strike)
    return tuple(out)


def _third_group(doc: Doc, pack: SeedPack, claim: Claim) -> bool:
    s, e = claim.span
    return any(
        pack.entities[m.entity].kind == "armed group"
        and pack.entities[m.entity].side not in pack.parties
        and pack.entities[m.entity].counts_as in ("", claim.victim_side)
        for m in doc.mentions_in(s, e)
    )


def _outside(span: tuple[int, int], excluded: list[tuple[int, int]]) -> bool:
    return not any(a <= span[0] < z or a < span[1] <= z for a, z in excluded)


def _passive(gap: str) -> bool:
    """ "were carried out", "fired": the words between a strike term and its "by"."""
    tokens = _TOKEN.findall(gap)
    return len(tokens) <= 3 and all(t in _BY_GAP or t.endswith(("ed", "ing")) for t in tokens)


def _filler(gap: str, words: frozenset[str] = _FILLER, limit: int = 8) -> bool:
    tokens = _TOKEN.findall(gap)
    return len(tokens) <= limit and all(t in words for t in tokens)


class _Sentence:
    """One sentence with strike terms: its mentions, speaker and targets."""

    def __init__(self, doc: Doc, pack: SeedPack, s: int, e: int, terms: list[tuple[int, int]]):
        self.doc = doc
        self.pack = pack
        self.folded = doc.folded
        self.s = s
        self.e = e
        self.terms = terms
        self.mentions = [
            m
            for m in doc.mentions_in(s, e)
            if pack.entities[m.entity].kind != "outlet"
            and (m.start - s > 2 or not self._dateline(m))
        ]
        self.marked = self._marked_places()
        self._speaker: str | None = None

    # ------------------------------------------------------------ mentions

    def _dateline(self, m: Mention) -> bool:
        """ "KABUL (Reuters) -", "PESHAWAR, Dec 2:": where the story was filed."""
        if m.start - self.s > 2:
            return False
        match = _DATELINE.match(self.folded, m.end, self.e)
        if match is None:
            return False
        return "(" in match.group() or self.doc.text[m.start : m.end].isupper()

    def _side(self, m: Mention) -> str:
        return self.pack.entities[m.entity].side

    def _party(self, m: Mention) -> str:
        side = self._side(m)
        return side if side in self.pack.parties else UNKNOWN_SIDE

    def _locative(self, m: Mention) -> bool:
        """A place or country used as a location ("in Kabul", Urdu "کابل میں")."""
        return (
            _LOCATIVE.search(self.folded, max(self.s, m.start - 16), m.start) is not None
            or _POSTPOSITION.match(self.folded, m.end, self.e) is not None
        )

    def _can_act(self, m: Mention) -> bool:
        ent = self.pack.entities[m.entity]
        if ent.kind == "place":
            return bool(ent.stands_for) and not self._locative(m)
        return ent.kind in _AGENT_KINDS and not (ent.kind == "country" and self._locative(m))

    # ------------------------------------------------------------ speaker

    def speaker(self) -> str:
        """The party of the sentence's source ("Pakistan says", "X, Taliban spokesman,
        said", "according to Mujahid", "Mujahid: ..."), or "unknown"."""
        if self._speaker is None:
            self._speaker = self._find_speaker()
        return self._speaker

    def _find_speaker(self) -> str:
        folded, pack = self.folded, self.pack
        for a in pack.attribution.finditer(folded, self.s, self.e):
            for m in reversed(self.mentions):
                if m.end > a.start():
                    continue
                if m.start < a.start() - 70 or not _SPEAKER_GAP.fullmatch(folded, m.end, a.start()):
                    break
                if self._side(m) in pack.parties:
                    return self._side(m)
        for a in pack.according_to.finditer(folded, self.s, self.e):
            for m in self.mentions:
                if a.end() <= m.start <= a.end() + 40 and self._side(m) in pack.parties:
                    return self._side(m)
        lead = _LEAD.match(folded, self.s, self.e)
        if lead is not None:
            for m in self.mentions:
                if m.end <= lead.end() and self._side(m) in pack.parties:
                    return self._side(m)
        return UNKNOWN_SIDE

    # ------------------------------------------------------------ attacker

    def attacker(self, claims: tuple[Claim, ...]) -> str:
        pack = self.pack
        for i, (at, end) in enumerate(self.terms):
            if _MUTUAL.match(self.folded, at) is not None:
                continue
            agent = self._agent(at, end)
            if agent is not None:
                return agent
            bound = self.terms[i + 1][0] if i + 1 < len(self.terms) else self.e
            struck = {self._side(m) for m in self.marked if at <= m.start < bound}
            if len(struck) == 1:
                target = next(iter(struck))
                speaker = self.speaker()
                if target in pack.parties and speaker == pack.opponent(target):
                    return speaker
            elif not struck and _OWN_TERM.match(self.folded, at) is not None:
                # "Islamabad says counter-strikes are continuing": its own
                speaker = self.speaker()
                if speaker != UNKNOWN_SIDE:
                    return speaker
        if _APPEAL.search(self.folded, self.s, self.e) is not None:
            return UNKNOWN_SIDE
        victims = self._claimed_victims(claims) or self._named_victims()
        if len(victims) == 1:
            victim = next(iter(victims))
            if victim in pack.parties:
                return pack.opponent(victim)
        return UNKNOWN_SIDE

    def _agent(self, at: int, end: int) -> str | None:
        """The side the text names as doing the strike at ``at``; None when it names none."""
        folded = self.folded
        chosen: Mention | None = None
        gap_parts: list[str] = []
        cursor = at
        for m in reversed(self.mentions):
            if m.start > at:
                continue
            kind = self.pack.entities[m.entity].kind
            if m.end <= at and kind in ("place", "country") and not self._can_act(m):
                # "Afghan forces in Kunar shelled": a location between agent and term
                gap_parts.append(folded[m.end : cursor])
                cursor = m.start
                post = _LOCATIVE.search(folded, max(self.s, m.start - 16), m.start)
                if post is not None:
                    cursor = post.start()
                continue
            chosen = m
            break
        start = chosen.end if chosen is not None else self.s
        pronoun = None
        for p in _PRONOUN.finditer(folded, start, cursor):
            pronoun = p
        if (
            pronoun is not None
            and _filler(folded[pronoun.end() : cursor])
            and all(_filler(g) for g in gap_parts)
        ):
            # "the Islamic Emirate said its fighters struck": the speaker's own forces
            speaker = self.speaker()
            if speaker != UNKNOWN_SIDE:
                return speaker
            if chosen is not None and self._can_act(chosen):
                return self._party(chosen)
        if (
            chosen is not None
            and self._can_act(chosen)
            and _filler(folded[chosen.end : cursor])
            and all(_filler(g) for g in gap_parts)
        ):
            return self._acting(chosen)
        # "strikes by Pakistan", "shells fired from Afghanistan" (also inside the term)
        for m in self.mentions:
            if m.start <= at or m.start > end + 40:
                continue
            by = _BY.search(folded, max(at, m.start - 40), m.start)
            if by is None or by.start() < at:
                continue
            if by.start() > end and not _passive(folded[end : by.start()]):
                continue
            if self.pack.entities[m.entity].kind in ("place", "country") or self._can_act(m):
                return self._acting(m)
        for m in self.mentions:
            if m.end <= at and m.start >= at - 60 and _BY_AFTER.match(folded, m.end, at):
                return self._acting(m)
        return None

    def _acting(self, m: Mention) -> str:
        """The party of an agent; "unknown" when it is joined to the other party or is no
        party at all."""
        side = self._party(m)
        if side == UNKNOWN_SIDE:
            return UNKNOWN_SIDE
        for other in self.mentions:
            if other is m:
                continue
            if other.end <= m.start:
                joined = _JOINED.fullmatch(self.folded, other.end, m.start)
            elif other.start >= m.end:
                joined = _JOINED.fullmatch(self.folded, m.end, other.start)
            else:
                continue
            if joined is not None and self._party(other) == self.pack.opponent(side):
                return UNKNOWN_SIDE
        return side

    def _claimed_victims(self, claims: tuple[Claim, ...]) -> set[str]:
        sides: set[str] = set()
        for claim in claims:
            if (
                self.s <= claim.span[0] < self.e
                and claim.victim_side in self.pack.parties
                and self._names_victims(claim)
            ):
                if _third_group(self.doc, self.pack, claim):
                    return {UNKNOWN_SIDE}
                sides.add(claim.victim_side)
        return sides

    def _names_victims(self, claim: Claim) -> bool:
        """Whether the claim's victims name their party ("55 Pakistani soldiers"), rather
        than being placed where a strike fell ("strikes on Kandahar kill 9")."""
        text = self.doc.text
        return any(
            self._side(m) == claim.victim_side and text[m.start : m.end] in claim.victims
            for m in self.mentions
        )

    def _named_victims(self) -> set[str]:
        """Parties whose people or posts are named as hit, when the other party is named."""
        folded = self.folded
        sides: set[str] = set()
        for m in self.mentions:
            side = self._party(m)
            if side == UNKNOWN_SIDE or self.pack.entities[m.entity].kind == "place":
                continue
            np = _VICTIM_NP.match(folded, m.end, self.e)
            if np is None:
                continue
            if _HIT_AFTER.match(folded, np.end(), self.e) is not None or (
                _HIT_BEFORE.search(folded, max(self.s, m.start - 30), m.start) is not None
                and any(at < m.start <= end + 40 for at, end in self.terms)
            ):
                sides.add(side)
        if len(sides) == 1:
            other = self.pack.opponent(next(iter(sides)))
            if not any(self._party(m) == other for m in self.mentions):
                return set()
        return sides

    # ------------------------------------------------------------ targets

    def _marked_places(self) -> list[Mention]:
        """Places and countries the sentence names as where a strike fell."""
        folded, pack = self.folded, self.pack
        first = self.terms[0][0]
        out: list[Mention] = []
        previous = -1
        for m in self.mentions:
            ent = pack.entities[m.entity]
            if ent.kind not in ("place", "country"):
                continue
            window = max(self.s, m.start - 24)
            if _NOT_TARGET.search(folded, window, m.start) is not None:
                continue
            if ent.kind == "country" and _COUNTRY_AS_BORDER.match(folded, m.end, self.e):
                continue
            marked = (
                _TARGET_BEFORE.search(folded, window, m.start) is not None
                or _POSTPOSITION.match(folded, m.end, self.e) is not None
                or (previous >= 0 and _LIST.fullmatch(folded, previous, m.start) is not None)
                or (ent.kind == "place" and not ent.stands_for and m.start >= first)
            )
            if marked:
                out.append(m)
                previous = m.end
        return out

    def targets(self, attacker: str) -> tuple[str, ...]:
        places: list[str] = []
        countries: list[str] = []
        for m in self.marked:
            ent = self.pack.entities[m.entity]
            if attacker != UNKNOWN_SIDE and ent.side == attacker:
                continue
            names = places if ent.kind == "place" else countries
            if (ent.side in self.pack.parties or ent.kind == "place") and ent.name not in names:
                names.append(ent.name)
        return tuple(places or countries)
