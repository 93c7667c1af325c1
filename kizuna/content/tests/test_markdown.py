from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from kizuna.content.markdown import ALLOWED_TAGS, mention_markup, render, render_markdown

pytestmark = [pytest.mark.django_db]

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.com/a.png)',
    '[x](https://example.com/" onclick="alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[a](<javascript:alert(1)>)",
    "<<script>script>alert(1)<</script>/script>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<form action=https://evil.example><button>x</button></form>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "[x](javascript&colon;alert(1))",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "@[<img src=x onerror=alert(1)>](member:1)",
    "@[x](javascript:alert(1))",
]
# Each scheme trick in every place a URL can stand: link, image, autolink, reference, raw HTML.
SCRIPT_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "javascript&#58;alert(1)",
    "&#x6a;avascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "javascript%3Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:alert(1)",
    "livescript:alert(1)",
    "file:///etc/passwd",
]
URL_PLACES = [
    "[x]({url})",
    "![x]({url})",
    "<{url}>",
    "[x][r]\n\n[r]: {url}",
    '<a href="{url}">x</a>',
    '<img src="{url}">',
    '<iframe src="{url}"></iframe>',
    '[x]({url} "title")',
]
XSS_PAYLOADS += [place.format(url=url) for url in SCRIPT_URLS for place in URL_PLACES]


def test_the_corpus_has_at_least_a_hundred_payloads() -> None:
    assert len(XSS_PAYLOADS) >= 100


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_as_markup_or_script_url(payload: str) -> None:
    for tag, attributes in _elements(render_markdown(payload)):
        assert tag in ALLOWED_TAGS, (payload, tag)
        for name, value in attributes:
            assert not name.startswith("on"), (payload, name)
            assert name in {"href", "src", "alt", "title", "rel", "class", "style", "start"}
            if name in ("href", "src"):
                scheme = urlsplit(value or "").scheme.lower()
                assert scheme in ("", "http", "https", "mailto"), (payload, value)
            if name == "style":
                assert (value or "").startswith("text-align:"), (payload, value)


def test_raw_html_is_shown_as_text() -> None:
    assert render_markdown("<b>太字</b>") == "<p>&lt;b&gt;太字&lt;/b&gt;</p>\n"


def test_links_get_nofollow_ugc_noopener() -> None:
    assert render_markdown("[公式](https://example.com)") == (
        '<p><a href="https://example.com" rel="nofollow ugc noopener">公式</a></p>\n'
    )


def test_tables_render() -> None:
    html = render_markdown("| 項目 | 値 |\n| --- | --: |\n| 請求 | 3 |")
    assert "<table>" in html
    assert '<td style="text-align:right">3</td>' in html


def test_strikethrough_renders() -> None:
    assert render_markdown("~~旧仕様~~") == "<p><s>旧仕様</s></p>\n"


def test_mention_links_to_profile_and_is_recorded() -> None:
    rendered = render("こんにちは @[山田 花子](member:42) さん")
    assert rendered.html == (
        '<p>こんにちは @<a href="/members/42/" class="mention" rel="nofollow ugc noopener">'
        "山田 花子</a> さん</p>\n"
    )
    assert rendered.mentioned_member_ids == [42]


def test_repeated_mention_is_recorded_once() -> None:
    assert render("@[A](member:7) @[A again](member:7)").mentioned_member_ids == [7]


def test_mention_inside_code_is_not_a_mention() -> None:
    assert render("`@[A](member:7)`").mentioned_member_ids == []


def test_mention_markup_strips_brackets_from_names() -> None:
    assert mention_markup(member_id=3, display_name="[山田] 花子") == "@[山田 花子](member:3)"


def test_youtube_line_becomes_link_card_without_iframe() -> None:
    html = render_markdown("見てください\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n以上")
    assert (
        '<a class="video-card" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" '
        'rel="nofollow ugc noopener">'
    ) in html
    assert "<iframe" not in html


def test_vimeo_line_becomes_link_card() -> None:
    assert 'href="https://vimeo.com/76979871"' in render_markdown("https://vimeo.com/76979871")


def test_video_url_inside_a_sentence_stays_text() -> None:
    assert "video-card" not in render_markdown("see https://youtu.be/dQw4w9WgXcQ here")


def test_honest_japanese_text_survives() -> None:
    text = "請求書を発行する手順：\n\n1. 設定を開く\n2. 「請求」を選ぶ"
    html = render_markdown(text)
    assert "請求書を発行する手順：" in html
    assert "<ol>" in html
    assert "<li>「請求」を選ぶ</li>" in html
