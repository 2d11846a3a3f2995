"""Body text: trafilatura's candidate selection, plus what a news pipeline adds on top.

trafilatura (precision mode) is the best open-source single-page extractor we measured, so we
stand on it and post-process its output tree: block-level junk it keeps (share bars, comment
counters, "Advertisement", lone e-mail bylines), and paragraphs that repeat across pages of the
same host (cross-page boilerplate, see `warehouse/paragraphs.py`). We render its tree ourselves
so one extraction yields both plain text and Markdown.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

# trafilatura logs every page it gives up on at WARNING; a pipeline records a drop reason instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

MAX_HTML_CHARS = 6_000_000  # larger pages are truncated: real articles are far smaller
MIN_TEXT_CHARS = 50
FALLBACK_BELOW_CHARS = 250  # below this, precision mode probably missed the article
# trafilatura's fallback comparison (readability, then jusText) costs about a third of an
# extraction, and it only changes the result when its own text is short, empty or
# structurally odd (readability must find 2x more to win). So the fast pass runs first and
# the comparison only for bodies shorter than this: a short news item. On the AEB pages,
# 19 of 181 pages take the second pass and F1 is unchanged (0.9656 against 0.9657 with
# the comparison on every page; any threshold from 1,000 to 3,000 gives the same).
COMPARE_BELOW_CHARS = 1000
# A page whose precision-mode body is short AND a small share of the text a reader sees on
# it (see `content_chars`) gets one more pass in trafilatura's balanced mode: precision mode
# prunes whole product descriptions, recipe steps and pages built of short blocks or lists.
# Ordinary articles never reach that pass: on 150 demo-site news pages our body is at least
# 0.57 of that text, and 1 of 181 AEB pages, 2 of 111 Readability and 2 of 176 fundus dev
# pages fall under 0.2 (those kept 0-15% and balanced mode found the article). Taking
# balanced mode whenever it finds 1.5x more (the reverted first try) let teaser lists and
# summaries in: 29 of 150 demo pages, two portal pages at 0.23-0.28 of their text.
RESCUE_BELOW_CHARS = 3000
RESCUE_PAGE_SHARE = 0.2
RESCUE_WINS_RATIO = 1.5

_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[^\w ]+")

# Whole blocks that are page furniture in any outlet's template (not tuned to any page).
_JUNK_BLOCK = re.compile(
    r"^(?:advertisement|advertisment|anzeige|werbung|publicidad|publicité|pubblicità|reklama"
    r"|sponsored(?: content)?|share(?: this)?(?: article| story| post)?(?: on \w+)?|tweet"
    r"|e-?mail|print|copy link|comments?|\d+ comments?|comments? ?\(?\d+\)?|view comments"
    r"|read more|continue reading|see also|related(?: articles| stories| content)?"
    r"|loading\W*|skip to (?:main )?content|back to top|click here to .{0,40})[\s:.!…]*$",
    re.IGNORECASE,
)
_EMAIL_ONLY = re.compile(r"^\S+@\S+\.\w+$")
_FOLLOW = re.compile(r"^follow (?:us|\S+|\w+ \w+) on (?:twitter|facebook|instagram|x)\b", re.I)


@dataclass(slots=True)
class Block:
    """One top-level unit of the body; `kind` decides its Markdown rendering."""

    kind: str  # p | h | li | quote | code | table
    text: str
    level: int = 2
    hash: int = 0


@dataclass(slots=True)
class Body:
    blocks: list[Block] = field(default_factory=list)

    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    def markdown(self) -> str:
        out: list[str] = []
        for b in self.blocks:
            if b.kind == "h":
                out.append("#" * max(1, min(b.level, 6)) + " " + b.text)
            elif b.kind == "li":
                out.append("\n".join("- " + line for line in b.text.split("\n")))
            elif b.kind == "quote":
                out.append("\n".join("> " + line for line in b.text.split("\n")))
            elif b.kind == "code":
                out.append("```\n" + b.text + "\n```")
            else:
                out.append(b.text)
        return "\n\n".join(out)


def paragraph_hash(text: str) -> int:
    """64-bit hash of a block, stable across digit changes (counters, years) and case."""
    norm = _NON_WORD.sub("", _DIGITS.sub("0", text.lower()))
    norm = _WS.sub(" ", norm).strip()
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "big")


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """Parse once for every consumer (metadata, dates, body); None when there is no document."""
    if not html or not html.strip():
        return None
    html = html[:MAX_HTML_CHARS].replace("\x00", "")
    if html.lstrip().startswith("<?xml"):
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=False)
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    return tree if tree is not None and len(tree) else None


def _inline_lines(el: etree._Element) -> list[str]:
    """Lines of an element's text, trafilatura's <lb/> as breaks; "" marks an empty line."""
    parts: list[str] = []
    for node in el.iter():
        if node.tag == "lb" or (node is not el and node.tag in ("item", "row", "p", "head")):
            parts.append("\n")
        if node.text and node.tag != "lb":
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return [_WS.sub(" ", line).strip() for line in "".join(parts).split("\n")]


def _inline_text(el: etree._Element) -> str:
    """Text of an element with trafilatura's <lb/> turned into line breaks."""
    return "\n".join(line for line in _inline_lines(el) if line)


def _paragraphs(el: etree._Element) -> list[str]:
    """An element's text split at empty lines: pages that set paragraphs apart with
    <br><br> instead of <p> give trafilatura one element for the whole body."""
    out: list[str] = []
    current: list[str] = []
    for line in [*_inline_lines(el), ""]:
        if line:
            current.append(line)
        elif current:
            out.append("\n".join(current))
            current = []
    return out


# Elements of trafilatura's output that hold paragraphs, not inline text.
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "code", "table", "div", "section"})


def _layout_table(table: etree._Element) -> bool:
    """A table used for page layout: its cells hold paragraphs and headings, not data."""
    return any(child.tag in _BLOCK_TAGS for cell in table.iter("cell") for child in cell)


def _loose_text(text: str | None) -> Block | None:
    text = _WS.sub(" ", text or "").strip()
    return Block("p", text, 2, paragraph_hash(text)) if text else None


def _blocks_from_tree(body: etree._Element) -> list[Block]:
    blocks: list[Block] = []
    loose = _loose_text(body.text)  # trafilatura leaves some paragraphs as bare text and tails
    if loose:
        blocks.append(loose)
    for child in body:
        loose = _loose_text(child.tail)
        blocks.extend(_child_blocks(child))
        if loose:
            blocks.append(loose)
    return blocks


def _child_blocks(child: etree._Element) -> list[Block]:
    tag = child.tag
    if tag in ("div", "section", "body"):  # a container: recurse into its blocks
        return _blocks_from_tree(child)
    if tag == "table" and _layout_table(child):  # old templates lay pages out in tables
        return [b for cell in child.iter("cell") for b in _blocks_from_tree(cell)]
    if tag == "p":
        return [Block("p", t, 2, paragraph_hash(t)) for t in _paragraphs(child)]
    level = 2
    if tag == "list":
        items = (_inline_text(item).replace("\n", " ") for item in child.iter("item"))
        text, kind = "\n".join(i for i in items if i), "li"
    elif tag == "table":
        rows = (
            " | ".join(c for c in (_WS.sub(" ", "".join(x.itertext())).strip() for x in row) if c)
            for row in child.iter("row")
        )
        text, kind = "\n".join(r for r in rows if r), "table"
    else:
        text = _inline_text(child)
        kind = {"head": "h", "quote": "quote", "code": "code"}.get(tag, "p")
        if kind == "h":
            rend = child.get("rend") or "h2"
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
    return [Block(kind, text, level, paragraph_hash(text))] if text else []


def is_junk_block(text: str) -> bool:
    """Template furniture that single-page extractors keep because it sits inside the article."""
    if len(text) > 120:
        return False
    t = text.strip()
    return bool(_JUNK_BLOCK.match(t) or _EMAIL_ONLY.match(t) or _FOLLOW.match(t))


def _trafilatura_blocks(
    tree: lxml.html.HtmlElement, url: str | None, precise: bool | None, compare: bool = True
) -> list[Block]:
    """trafilatura's body as our blocks: precision mode (True), recall mode (False) or its
    default balanced mode (None)."""
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=precise is True,
            favor_recall=precise is False,
            include_comments=False,
            include_tables=True,
            include_formatting=False,
            with_metadata=False,
            fast=not compare,
        )
    except Exception:  # trafilatura has edge cases (recursion, odd trees); never propagate
        doc = None
    body = getattr(doc, "body", None)  # a Document (with_metadata=False never gives a dict)
    if body is None:
        return []
    return [b for b in _blocks_from_tree(body) if not is_junk_block(b.text)]


# Never page text: scripts, navigation, forms, asides, footers.
_NOT_TEXT = frozenset(
    {"script", "style", "noscript", "template", "head", "nav", "footer", "aside", "form",
     "button", "select", "textarea", "label", "svg", "iframe"}
)  # fmt: skip
# Page furniture by its class or id (comments, sidebars, share bars, teaser and link boxes).
_FURNITURE = re.compile(
    r"comment|sidebar|related|footer|menu|share|social|cookie|consent|newsletter|breadcrumb"
    r"|widget|promo|teaser|recommend|navigation|navbar|banner|popular",
    re.IGNORECASE,
)
# Elements whose text is read as one unit when judging links against text.
_TEXT_BLOCKS = frozenset(
    {"p", "li", "dd", "dt", "td", "th", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
     "div", "section", "article", "main", "header", "figcaption", "caption", "ul", "ol", "dl",
     "table", "tr", "body"}
)  # fmt: skip
_WRAPPERS = frozenset({"body", "main", "article"})  # their classes describe the whole page


def content_chars(tree: lxml.html.HtmlElement) -> int:
    """Characters of text a reader sees as the page's own: blocks whose text is not mostly
    link text, outside scripts, navigation, forms, footers and furniture marked by class.

    One walk of the tree, no copy (about a millisecond on a news page, against tens for an
    extraction): it only has to tell "we kept most of the page" from "we kept a sliver".
    """
    body = tree.find("body")
    if body is None:
        body = tree
    total = 0
    blocks: list[list[int]] = [[0, 0]]  # per open block: [text, link text]
    in_link = 0
    skipped: etree._Element | None = None
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                skipped = el
                walker.skip_subtree()
                continue
            if tag not in _WRAPPERS:
                marks = f"{el.get('class') or ''} {el.get('id') or ''}"
                if len(marks) > 1 and _FURNITURE.search(marks):
                    skipped = el
                    walker.skip_subtree()
                    continue
            if tag == "a":
                in_link += 1
            if tag in _TEXT_BLOCKS:
                blocks.append([0, 0])
            if el.text:
                blocks[-1][in_link > 0] += len(el.text.strip())
            continue
        if el is skipped:
            skipped = None
        else:
            if tag in _TEXT_BLOCKS and len(blocks) > 1:
                text, links = blocks.pop()
                if text > links:
                    total += text
            if tag == "a":
                in_link -= 1
        if el.tail and el is not body:
            blocks[-1][in_link > 0] += len(el.tail.strip())
    return total + (blocks[0][0] if blocks[0][0] > blocks[0][1] else 0)


def needs_wider_pass(tree: lxml.html.HtmlElement, kept: int) -> bool:
    """Whether a body of `kept` characters is a sliver of the page's own text (see
    RESCUE_PAGE_SHARE), so that trafilatura's balanced mode should have a look."""
    return kept < RESCUE_BELOW_CHARS and kept < RESCUE_PAGE_SHARE * content_chars(tree)


def _chars(blocks: list[Block]) -> int:
    return sum(len(b.text) for b in blocks)


def extract_body(
    tree: lxml.html.HtmlElement, url: str | None = None, declared_body: str | None = None
) -> Body:
    """All candidate body blocks (before cross-page filtering); empty Body when none.

    Precision mode first (it scores best on real news pages), without trafilatura's
    comparison with other algorithms unless the body is short (see COMPARE_BELOW_CHARS);
    balanced mode when that body is a sliver of the page's text (`needs_wider_pass`: product,
    recipe and list pages); when it finds (almost) nothing, which happens on short or
    unusually built pages, recall mode and then the body the page declares in JSON-LD
    (`articleBody`) are the fallbacks.
    """
    blocks = _trafilatura_blocks(tree, url, precise=True, compare=False)
    if _chars(blocks) < COMPARE_BELOW_CHARS:
        blocks = _trafilatura_blocks(tree, url, precise=True)
    if needs_wider_pass(tree, _chars(blocks)):
        wider = _trafilatura_blocks(tree, url, precise=None)
        if _chars(wider) > RESCUE_WINS_RATIO * _chars(blocks):
            blocks = wider
    if _chars(blocks) < FALLBACK_BELOW_CHARS:
        wider = _trafilatura_blocks(tree, url, precise=False)
        if _chars(wider) > _chars(blocks):
            blocks = wider
    if _chars(blocks) < FALLBACK_BELOW_CHARS and declared_body:
        declared = [
            Block("p", t, 2, paragraph_hash(t))
            for t in (_WS.sub(" ", line).strip() for line in declared_body.split("\n"))
            if t
        ]
        if _chars(declared) > _chars(blocks):
            blocks = declared
    return Body(blocks)


# The page's own element holding its description: a leaf element, or a paragraph, outside
# navigation, asides, forms, footers and scripts.
_LEAD_XPATH = etree.XPath(
    "(//body//*[self::p or self::h2 or self::div or self::span][self::p or not(*)]"
    "[not(ancestor::nav or ancestor::aside or ancestor::form or ancestor::footer)]"
    "[normalize-space(.) = $lead])[1]"
)
MIN_LEAD_CHARS = 40


def with_lead(body: Body, tree: lxml.html.HtmlElement, description: str | None) -> Body:
    """The body with its standfirst: the lead paragraph that many templates set in the
    article's <header> or an intro box, which precision mode prunes with them. Only when
    the page shows its declared description as an element of its own (so it is page text,
    not a summary written for search engines) and the body does not hold it yet."""
    if not body.blocks or not description or len(description) < MIN_LEAD_CHARS:
        return body
    lead = _WS.sub(" ", description).strip()
    h = paragraph_hash(lead)
    if any(b.hash == h or lead in b.text for b in body.blocks):
        return body
    try:
        found = _LEAD_XPATH(tree, lead=lead)
    except (etree.XPathError, ValueError):  # a description XPath cannot quote
        return body
    if not found:
        return body
    return Body([Block("p", lead, 2, h), *body.blocks])


def drop_boilerplate(body: Body, boilerplate: frozenset[int]) -> Body:
    """Remove blocks whose hash the host's history (or this batch) marks as repeated."""
    if not boilerplate:
        return body
    return Body([b for b in body.blocks if b.hash not in boilerplate])
