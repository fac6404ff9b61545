"""`sitmon analyse` end to end: JSON lines in, JSON lines out, bad lines reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RURITANIA = Path(__file__).parent / "fixtures" / "analysis" / "ruritania.toml"


def run_analyse(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SITMON_PACK", None)
    return subprocess.run(
        [sys.executable, "-m", "tui", "analyse", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


def line(**fields: object) -> str:
    return json.dumps(fields) + "\n"


def test_analyse_html_summary_and_a_malformed_line() -> None:
    stdin = (
        line(
            id="a1",
            title="Pakistan &amp; Afghanistan <b>clash</b> at Torkham",
            summary="<p>Afghan officials said <i>6</i> Pakistani soldiers were killed.</p>",
            link="https://example.org/a1",
            published="2026-02-27T06:00:00Z",
        )
        + "{not json\n"
        + line(
            id="a2",
            title="Cricket: Pakistan tour of Australia",
            summary="",
            link="",
            published=None,
        )
        + line(title="no id here")
    )
    done = run_analyse(stdin)
    assert done.returncode == 0, done.stderr
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a1", "a2"]
    first = out[0]
    assert first["relevant"] is True
    assert first["categories"] == ["strike", "casualty"]
    assert [
        (c["outcome"], c["low"], c["victim_side"], c["claimant_side"]) for c in first["claims"]
    ] == [("killed", 6, "pakistan", "afghanistan")]
    text = (
        "Pakistan & Afghanistan clash at Torkham\n"
        "Afghan officials said 6 Pakistani soldiers were killed."
    )
    for entity in first["entities"]:
        for a, b in entity["spans"]:
            assert text[a:b]  # spans index the cleaned text
    torkham = next(e for e in first["entities"] if e["id"] == "torkham")
    assert [text[a:b] for a, b in torkham["spans"]] == ["Torkham"]
    assert out[1]["relevant"] is False
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "line 2" in errors[0]
    assert "line 4" in errors[1] and "id" in errors[1]


def test_analyse_with_another_pack() -> None:
    done = run_analyse(
        line(id=7, title="Bordurian artillery shelled Zenda", summary=""), "--pack", str(RURITANIA)
    )
    assert done.returncode == 0, done.stderr
    (result,) = [json.loads(x) for x in done.stdout.splitlines()]
    assert result["id"] == 7
    assert result["relevant"] is True
    assert result["strikes"][0]["attacker_side"] == "borduria"


@pytest.mark.parametrize("content", ["[pack\n", 'pack = "x"\n'])
def test_analyse_with_a_broken_pack_is_one_line(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text(content, encoding="utf-8")
    done = run_analyse(line(id="x", title="t"), "--pack", str(bad))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "broken.toml" in done.stderr
    assert "Traceback" not in done.stderr


def test_empty_input_gives_empty_output() -> None:
    done = run_analyse("")
    assert done.returncode == 0 and done.stdout == ""
