"""Throughput of ``analyse()`` on one core, against a naive keyword-regex baseline.

    python bench/bench_analyse.py [--items N] [--relevant-share 0.2] [--seed 1]

The corpus is generated: wire-style headlines and summaries, some about the
Pakistan–Afghanistan conflict, most about anything else. Not part of the tests.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.analysis import analyse
from tui.model import Item
from tui.seeds import load_pack

RELEVANT = [
    "{pk} says {n} {af_people} killed in strikes on {af_place}",
    "Taliban say {n} {pk_people} killed in clashes along the Durand Line",
    "{pk_src} said {n} militants were killed and {m} hideouts destroyed in {af_place}",
    "Afghan and Pakistani forces exchange fire near {border}; {n} wounded",
    "{third} offers to mediate as {pk} and {af} hold talks in {venue}",
    "{pk} and {af} agree to extend ceasefire after talks in {venue}",
    "Pakistani jets pound TTP positions in {af_place}, {af_src} says",
    "{af_src} accuses {pk} of violating Afghan sovereignty with drone strikes",
]
OTHER = [
    "{country} central bank holds rates as inflation eases to {n} percent",
    "Storms leave {n} dead across {country}; thousands without power",
    "{country} beat {country2} by {n} runs in the second Test",
    "Parliament in {country} passes budget after {n}-hour debate",
    "Stocks rally as tech earnings beat forecasts; {country} markets up",
    "Film festival in {city} opens with record {n} premieres",
    "{country} foreign minister visits {country2} to discuss trade",
    "Police in {city} arrest {n} over fraud scheme",
    "Pakistan's cricket board names squad for home series",
    "Kabul's bazaars busy ahead of holiday, traders say",
]
FILL = {
    "pk": ["Pakistan", "Islamabad", "Pakistan's military"],
    "af": ["Afghanistan", "Kabul", "the Taliban government"],
    "pk_people": ["Pakistani soldiers", "Pakistani troops", "security personnel"],
    "af_people": ["Afghan Taliban fighters", "Afghan border guards", "Taliban fighters"],
    "af_place": ["Kabul", "Kandahar", "Paktia", "Paktika", "Khost", "Nangarhar", "Kunar"],
    "pk_src": ["ISPR", "Pakistan's army", "Mosharraf Zaidi"],
    "af_src": ["Zabihullah Mujahid", "the Taliban spokesman", "Kabul"],
    "border": ["Torkham", "Chaman", "Spin Boldak", "the Kurram border"],
    "third": ["Qatar", "Türkiye", "Saudi Arabia", "China", "Iran"],
    "venue": ["Doha", "Istanbul", "Riyadh"],
    "country": ["France", "Brazil", "Kenya", "Japan", "Canada", "India", "Peru"],
    "country2": ["Chile", "Egypt", "Norway", "Vietnam", "Ghana"],
    "city": ["Lyon", "Osaka", "Lima", "Accra", "Toronto"],
}
SUMMARY = (
    "Officials gave few details. The figures could not be independently verified and "
    "the situation remained tense on {day}, according to people familiar with the matter."
)


def corpus(count: int, share: float, seed: int) -> list[Item]:
    rng = random.Random(seed)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    items: list[Item] = []
    for i in range(count):
        template = rng.choice(RELEVANT if rng.random() < share else OTHER)
        values = {k: rng.choice(v) for k, v in FILL.items()}
        values.update(
            n=str(rng.randint(2, 300)),
            m=str(rng.randint(2, 30)),
            day=rng.choice(["Friday", "Saturday", "Sunday"]),
        )
        title = template.format(**values)
        items.append(
            Item(
                id=str(i),
                feed="bench",
                title=title,
                summary=SUMMARY.format(**values),
                link="",
                published=now,
                first_seen=now,
            )
        )
    return items


_BASELINE = [
    re.compile(p, re.I)
    for p in (
        r"\bpakistan",
        r"\bafghan",
        r"\btaliban\b",
        r"\bkabul\b",
        r"\bislamabad\b",
        r"\bttp\b",
        r"\bstrikes?\b",
        r"\bclash",
        r"\bkilled\b",
        r"\bceasefire\b",
        r"\btalks\b",
        r"\d+",
    )
]


def baseline(item: Item) -> object:
    """A dozen keyword regexes: what a quick first attempt would do."""
    text = item.text
    return [bool(p.search(text)) for p in _BASELINE]


def rate(fn: Callable[[Item], object], items: list[Item], rounds: int = 5) -> tuple[float, float]:
    """Best items/s over ``rounds``: by the wall clock, and by this process's CPU time (which
    other load on a shared machine does not slow down)."""
    wall = cpu = float("inf")
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for item in items:
            fn(item)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return len(items) / wall, len(items) / max(cpu, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--relevant-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pack = load_pack(None)
    items = corpus(args.items, args.relevant_share, args.seed)
    relevant = sum(analyse(item, pack).relevant for item in items)
    ours, ours_cpu = rate(lambda item: analyse(item, pack), items)
    naive, naive_cpu = rate(baseline, items)
    print(
        f"corpus: {len(items)} items, {relevant} judged relevant "
        f"(generated share {args.relevant_share:.0%})"
    )
    print(
        f"analyse():         {ours:>10,.0f} items/s wall  ({1e6 / ours:.1f} µs/item), "
        f"{ours_cpu:,.0f} items/s CPU"
    )
    print(
        f"keyword baseline:  {naive:>10,.0f} items/s wall  ({1e6 / naive:.1f} µs/item), "
        f"{naive_cpu:,.0f} items/s CPU"
    )
    print(f"ratio:             {ours / naive:>10.2f}x the baseline's speed (wall)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
