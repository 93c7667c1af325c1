"""Markdown for posts, answers and knowledge articles: rendered once at write time, then sanitised.

markdown-it-py parses CommonMark with tables and strikethrough and never passes raw
HTML through (`html: False`); nh3 then keeps only a fixed set of tags, attributes,
classes and URL schemes, so nothing a member types can run script in a reader's page.

Two extensions, both decided on the token stream rather than by regex on HTML:
- mentions: `@[山田 花子](member:123)`, the exact text the autocomplete inserts. The
  display name is only a label; the id decides who is mentioned, so two members with
  the same name are never confused. It renders as a link to the profile.
- video: a paragraph that is nothing but a YouTube or Vimeo address becomes a link
  card. No third-party iframe is loaded, so reading a thread tells the video host nothing.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.urls import reverse
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

MENTION_HREF = re.compile(r"^member:(\d{1,12})$")
MAX_MENTIONS = 20

YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^\s]*&)?v=|shorts/|embed/)|youtu\.be/)"
    r"([A-Za-z0-9_-]{11})(?:[?&#][^\s]*)?$"
)
VIMEO = re.compile(r"^https?://(?:www\.)?vimeo\.com/(\d{1,12})(?:[/?#][^\s]*)?$")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"style"},
    "th": {"style"},
    "span": set(),
}
ALLOWED_CLASSES = {
    "a": {"mention", "video-card"},
    "span": {"video-provider", "video-url"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    mentioned_member_ids: list[int] = field(default_factory=list)


def _video_for(text: str) -> tuple[str, str] | None:
    """(provider, canonical URL) when a paragraph is only a video address."""
    text = text.strip()
    if match := YOUTUBE.match(text):
        return "YouTube", f"https://www.youtube.com/watch?v={match.group(1)}"
    if match := VIMEO.match(text):
        return "Vimeo", f"https://vimeo.com/{match.group(1)}"
    return None


def _video_cards(state: StateCore) -> None:
    """Replace paragraph_open / inline / paragraph_close of a lone video URL by one card token."""
    tokens = state.tokens
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and tokens[index + 1].type == "inline"
            and tokens[index + 2].type == "paragraph_close"
            and (video := _video_for(tokens[index + 1].content))
        ):
            card = Token("video_card", "", 0)
            card.block = True
            card.meta = {"provider": video[0], "url": video[1]}
            result.append(card)
            index += 3
            continue
        result.append(token)
        index += 1
    state.tokens = result


def _render_video_card(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    # Language-neutral on purpose: body_html is stored once and read in Japanese and English.
    return (
        f'<p><a class="video-card" href="{escape(meta["url"])}">'
        f'<span class="video-provider">▶ {escape(meta["provider"])}</span> '
        f'<span class="video-url">{escape(meta["url"])}</span></a></p>\n'
    )


def _mentions(state: StateCore) -> None:
    """Point `member:<id>` links at the profile, mark them, and remember who was mentioned."""
    mentioned: list[int] = state.env.setdefault("mentioned_member_ids", [])
    for block in state.tokens:
        for child in block.children or []:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            match = MENTION_HREF.match(href)
            if match is None:
                continue
            member_id = int(match.group(1))
            child.attrSet("href", reverse("identity:member-profile", args=[member_id]))
            child.attrSet("class", "mention")
            if member_id not in mentioned and len(mentioned) < MAX_MENTIONS:
                mentioned.append(member_id)


def _validate_link(url: str) -> bool:
    """markdown-it's own check, plus our `member:` scheme; nh3 has the last word anyway."""
    lowered = url.strip().lower()
    return not lowered.startswith(("javascript:", "vbscript:", "file:", "data:"))


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.validateLink = _validate_link  # type: ignore[method-assign]
    parser.core.ruler.push("video_cards", _video_cards)
    parser.core.ruler.push("mentions", _mentions)
    parser.add_render_rule("video_card", _render_video_card)
    return parser


_PARSER = _parser()


def sanitize_html(html: str) -> str:
    """Keep only safe tags, attributes, classes and URL schemes; every link gets our rel."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def render(text: str) -> RenderedMarkdown:
    """Render a member's Markdown to safe HTML and list the members it mentions."""
    env: dict[str, Any] = {}
    html = _PARSER.render(text, env)
    return RenderedMarkdown(
        html=sanitize_html(html), mentioned_member_ids=list(env.get("mentioned_member_ids", []))
    )


def render_markdown(text: str) -> str:
    """Safe HTML for a Markdown text (what body_html stores)."""
    return render(text).html


def mention_markup(*, member_id: int, display_name: str) -> str:
    """The text the autocomplete inserts for a mention."""
    label = re.sub(r"[\[\]\n]", "", display_name).strip() or str(member_id)
    return f"@[{label}](member:{member_id})"
