"""OPML import and export of the feed list.

Import reads an OPML file with a locked-down expat parser feeding an
``xml.etree.ElementTree.TreeBuilder``: any DOCTYPE (and so any ENTITY
declaration) is refused, so entity expansion ("billion laughs") and external
entities cannot happen, and nothing from the file is fetched or run. New feeds
(by URL) are *appended* to the feeds file as TOML text; what the user wrote is
never rewritten.

Export writes the feed list as OPML 2.0.
"""

from __future__ import annotations

import html
import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.parsers import expat

from tui.config import (
    bundled_feeds_path,
    check_feeds_text,
    load_feeds,
    url_problem,
)
from tui.errors import UserError
from tui.model import FeedConfig
from tui.text import clean_text

MAX_OPML_BYTES = 5 * 1024 * 1024
MAX_NAME = 120


class UnsafeXML(ValueError):
    """The document uses DTD features that are never processed."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    name: str
    url: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: tuple[FeedConfig, ...]
    skipped: tuple[str, ...]  # one line each: why an outline was not added
    created: bool = False  # the feeds file did not exist and was created


def _refuse(*_: object) -> None:
    raise UnsafeXML("DOCTYPE and ENTITY declarations are not allowed")


def _refuse_external(*_: object) -> int:
    raise UnsafeXML("external entities are not allowed")


def safe_parse_xml(data: bytes) -> ET.Element:
    """Parse XML into an ElementTree element, refusing any DTD.

    Raises ``UnsafeXML`` for a DOCTYPE/ENTITY, ``ValueError`` for malformed XML.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_external
    parser.buffer_text = True
    parser.ordered_attributes = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        builder.start(tag, attrs)

    def end(tag: str) -> None:
        builder.end(tag)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ValueError(f"not well-formed XML: {expat.ErrorString(exc.code)} "
                         f"(line {exc.lineno}, column {exc.offset + 1})") from None
    return builder.close()


def _plain(text: str, limit: int) -> str:
    """Attribute text is plain text, not HTML: clean it without reading ``<...>`` as tags."""
    return clean_text(html.escape(text, quote=False), limit)


def parse_opml(data: bytes, source: str = "OPML") -> tuple[list[OpmlFeed], list[str]]:
    """The feeds of an OPML document (outlines with an xmlUrl), and problems as lines."""
    try:
        root = safe_parse_xml(data)
    except UnsafeXML as exc:
        raise UserError(f"{source}: refused: {exc}") from None
    except ValueError as exc:
        raise UserError(f"{source}: {exc}") from None
    if root.tag.lower() != "opml":
        raise UserError(f"{source}: not an OPML file (root element <{clean_text(root.tag, 40)}>)")
    body = root.find("body")
    if body is None:
        raise UserError(f"{source}: no <body> element")

    feeds: list[OpmlFeed] = []
    skipped: list[str] = []

    def walk(node: ET.Element, folders: tuple[str, ...]) -> None:
        for outline in node.findall("outline"):
            label = _plain(outline.get("title") or outline.get("text") or "", MAX_NAME)
            url = (outline.get("xmlUrl") or "").strip()
            if url:
                why = url_problem(url)
                if why:
                    skipped.append(f"{label or url!r}: url: {why}")
                else:
                    feeds.append(OpmlFeed(name=label, url=url, tags=folders))
            folder = _plain(outline.get("text") or outline.get("title") or "", 40)
            walk(outline, (*folders, folder.lower()) if folder and not url else folders)

    walk(body, ())
    return feeds, skipped


def toml_string(value: str) -> str:
    """A TOML basic string literal for any text."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def feeds_to_toml(feeds: Sequence[FeedConfig]) -> str:
    """``[[feed]]`` tables for these feeds (what import appends)."""
    blocks = []
    for f in feeds:
        tags = ", ".join(toml_string(t) for t in f.tags)
        blocks.append(
            "[[feed]]\n"
            f"name = {toml_string(f.name)}\n"
            f"url = {toml_string(f.url)}\n"
            f"interval = {f.interval}\n"
            f"tags = [{tags}]\n"
            f"kind = {toml_string(f.kind)}\n"
        )
    return "\n".join(blocks)


def _unique_name(wanted: str, taken: set[str]) -> str:
    name = wanted
    n = 2
    while name.casefold() in taken:
        name = f"{wanted} ({n})"
        n += 1
    taken.add(name.casefold())
    return name


def import_opml(opml_path: Path, feeds_path: Path) -> ImportResult:
    """Append the OPML file's new feeds (by URL) to ``feeds_path``.

    A missing feeds file is created from the bundled list first. The existing
    file must be valid; the appended text is checked before it is written.
    """
    try:
        with opml_path.open("rb") as fh:
            data = fh.read(MAX_OPML_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{opml_path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_OPML_BYTES:
        raise UserError(f"{opml_path}: larger than {MAX_OPML_BYTES // (1024 * 1024)} MiB")
    found, skipped = parse_opml(data, str(opml_path))

    created = not feeds_path.exists()
    if created:
        existing_text = bundled_feeds_path().read_text(encoding="utf-8")
    else:
        load_feeds(feeds_path)  # refuse to append to a file that is already broken
        existing_text = feeds_path.read_text(encoding="utf-8")
    existing, _ = check_feeds_text(existing_text, str(feeds_path))
    urls = {f.url for f in existing}
    names = {f.name.casefold() for f in existing}

    added: list[FeedConfig] = []
    for feed in found:
        if feed.url in urls:
            skipped.append(f"{feed.name or feed.url!r}: already in {feeds_path}")
            continue
        urls.add(feed.url)
        name = _unique_name(feed.name or _host(feed.url), names)
        tags = tuple(dict.fromkeys(t for t in (*feed.tags, "imported") if t))
        added.append(FeedConfig(name=name, url=feed.url, tags=tags, kind="aggregator"))

    if not added:
        return ImportResult((), tuple(skipped), created=False)

    header = f"\n# Imported from {_plain(opml_path.name, 80)} by `sitmon feeds import`.\n"
    addition = header + feeds_to_toml(added)
    separator = "" if not existing_text or existing_text.endswith("\n") else "\n"
    _, problems = check_feeds_text(existing_text + separator + addition, str(feeds_path))
    if problems:  # pragma: no cover - would be a bug in feeds_to_toml
        raise UserError(problems[0])
    if created:
        feeds_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(feeds_path, existing_text + separator + addition)
    else:
        with feeds_path.open("a", encoding="utf-8") as fh:
            fh.write(separator + addition)
    return ImportResult(tuple(added), tuple(skipped), created=created)


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def export_opml(feeds: Sequence[FeedConfig], title: str = "sitmon feeds") -> str:
    """OPML 2.0 text for the feed list."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for f in feeds:
        attrs = {"type": "rss", "text": f.name, "title": f.name, "xmlUrl": f.url}
        if f.tags:
            attrs["category"] = ",".join(f.tags)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_opml(text: str, output: str) -> None:
    """Write OPML to a file (atomically) or to stdout for ``-``."""
    if output == "-":
        sys.stdout.write(text)
        return
    path = Path(output)
    try:
        _write_atomic(path, text)
    except OSError as exc:
        raise UserError(f"{path}: cannot write: {exc.strerror or exc}") from None
