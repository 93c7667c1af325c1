"""Automatic moderation rules applied to new and edited content before it appears (S3).

`evaluate_content` runs three rules and holds the content when any of them fires:

- the no-promotion rule (docs/adr/0007-no-promotion-rule.md): sales and campaign signals in
  Japanese and English are scored; a strong signal weighs 2, a weak one 1, and content holds
  at PROMOTION_HOLD_SCORE. Staff posts are judged the same way.
- blocked words and domains, community-wide, managed by staff moderators.
- new members (trust level 0) in open spaces: at most MAX_LINKS_FOR_NEW_MEMBERS links.

Every signal that contributed becomes a reason string the author and the moderator can read.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from django.utils.translation import gettext as _

from kizuna.identity.models import Member
from kizuna.moderation.models import BlockedTerm
from kizuna.moderation.selectors import get_moderation_settings, trust_level
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import is_open_space

# A strong signal alone holds; two weak ones hold together.
STRONG_SIGNAL_WEIGHT = 2
WEAK_SIGNAL_WEIGHT = 1
PROMOTION_HOLD_SCORE = 2
MAX_LINKS_FOR_NEW_MEMBERS = 2

# Wording that sells: discounts, campaigns, prices offered, buying now.
CAMPAIGN_STRONG = ("特別価格", "今だけ", "promo code", "special offer", "buy now", "クーポン")
CAMPAIGN_WEAK = (
    "割引",
    "キャンペーン",
    "期間限定",
    "無料トライアル",
    "discount",
    "limited time",
    "free trial",
    "pricing",
    "% off",
)
# Calls to get in touch with sales: where a sales conversation starts.
CONTACT_STRONG = (
    "お見積り",
    "お見積もり",
    "資料請求",
    "お問い合わせはこちら",
    "お問合せはこちら",
    "導入のご相談",
    "お気軽にお問い合わせ",
    "book a demo",
    "contact sales",
    "request a quote",
    "schedule a demo",
)
CONTACT_WEAK = ("contact us", "お問い合わせください", "ご連絡ください", "dm me")

SALES_PATH_PARTS = ("/pricing", "/contact", "/demo", "/lp/")
SALES_HOSTS = ("forms.gle", "calendly.com", "meetings.hubspot.com", "hubspot.com/meetings")
URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    """One thing the promotion rule noticed: its category, what matched, and its weight."""

    category: str  # "campaign" | "contact" | "link"
    match: str
    weight: int


@dataclass(frozen=True)
class RuleDecision:
    """Whether content is held for review, with reasons an author and a moderator can read."""

    is_held: bool = False
    reasons: list[str] = field(default_factory=list)
    promotion_score: int = 0
    signals: list[Signal] = field(default_factory=list)


def find_links(text: str) -> list[str]:
    """Every URL in a text, as written."""
    return URL_PATTERN.findall(text)


def _host_and_path(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return (parts.hostname or "").lower(), parts.path.lower(), parts.query


def _link_signals(links: list[str]) -> list[Signal]:
    signals: list[Signal] = []
    for url in links:
        host, path, query = _host_and_path(url)
        utm = [key for key, _value in parse_qsl(query) if key.lower().startswith("utm_")]
        if utm:
            signals.append(Signal("link", utm[0], STRONG_SIGNAL_WEIGHT))
            continue
        location = f"{host}{path}"
        host_match = next(
            (sales for sales in SALES_HOSTS if location.startswith(sales) or host.endswith(sales)),
            None,
        )
        if host_match:
            signals.append(Signal("link", host_match, STRONG_SIGNAL_WEIGHT))
            continue
        path_match = next((part for part in SALES_PATH_PARTS if part in f"{path}/"), None)
        if path_match:
            signals.append(Signal("link", path_match.strip("/"), WEAK_SIGNAL_WEIGHT))
    return signals


def _wording_signals(text: str) -> list[Signal]:
    lowered = text.lower()
    signals: list[Signal] = []
    for category, terms, weight in (
        ("campaign", CAMPAIGN_STRONG, STRONG_SIGNAL_WEIGHT),
        ("campaign", CAMPAIGN_WEAK, WEAK_SIGNAL_WEIGHT),
        ("contact", CONTACT_STRONG, STRONG_SIGNAL_WEIGHT),
        ("contact", CONTACT_WEAK, WEAK_SIGNAL_WEIGHT),
    ):
        signals.extend(Signal(category, term, weight) for term in terms if term in lowered)
    return signals


def promotion_signals(title: str, body: str) -> list[Signal]:
    """The sales and campaign signals in a text, each counted once."""
    text = f"{title}\n{body}"
    # A link's own words (".../pricing") are judged as a link, not as wording.
    links = find_links(text)
    wording = URL_PATTERN.sub(" ", text)
    unique: dict[tuple[str, str], Signal] = {}
    for signal in [*_wording_signals(wording), *_link_signals(links)]:
        unique.setdefault((signal.category, signal.match), signal)
    return list(unique.values())


def _quoted(terms: list[str]) -> str:
    # Translators: how one matched term is quoted in a reason; Japanese uses 「」.
    quoted = [_("'%(term)s'") % {"term": term} for term in terms]
    joined = quoted[0]
    for item in quoted[1:]:
        # Translators: adds one quoted term to a list; Japanese needs no comma (「a」「b」).
        joined = _("%(list)s, %(item)s") % {"list": joined, "item": item}
    return joined


def explain_promotion(signals: list[Signal]) -> list[str]:
    """One readable reason per kind of signal, naming what matched."""
    by_category: dict[str, list[str]] = {}
    for signal in signals:
        by_category.setdefault(signal.category, []).append(signal.match)
    reasons: list[str] = []
    if "campaign" in by_category:
        reasons.append(
            _("Possible promotion: campaign or pricing wording %(terms)s")
            % {"terms": _quoted(by_category["campaign"])}
        )
    if "contact" in by_category:
        reasons.append(
            _("Possible promotion: a call to contact sales %(terms)s")
            % {"terms": _quoted(by_category["contact"])}
        )
    if "link" in by_category:
        reasons.append(
            _("Possible promotion: a sales link (%(parts)s)")
            % {"parts": ", ".join(by_category["link"])}
        )
    return reasons


def _blocked_reasons(title: str, body: str, links: list[str]) -> list[str]:
    text = f"{title}\n{body}".lower()
    hosts = {_host_and_path(url)[0] for url in links}
    words: list[str] = []
    domains: list[str] = []
    for term in BlockedTerm.objects.all():
        value = term.value.lower()
        if term.kind == BlockedTerm.Kind.WORD and value in text:
            words.append(term.value)
        elif term.kind == BlockedTerm.Kind.DOMAIN and any(
            host == value or host.endswith(f".{value}") for host in hosts
        ):
            domains.append(term.value)
    reasons = []
    if words:
        reasons.append(_("Contains a blocked word %(terms)s") % {"terms": _quoted(words)})
    if domains:
        reasons.append(_("Links to a blocked domain %(terms)s") % {"terms": _quoted(domains)})
    return reasons


def _new_member_reasons(author: Member, space: Space, links: list[str]) -> list[str]:
    if not links or not is_open_space(space) or trust_level(author) > 0:
        return []
    if get_moderation_settings(space).hold_new_member_links:
        return [_("Links from new members are reviewed before they appear in this space")]
    if len(links) > MAX_LINKS_FOR_NEW_MEMBERS:
        return [
            _("New members may include at most %(limit)d links in a post; this one has %(count)d")
            % {"limit": MAX_LINKS_FOR_NEW_MEMBERS, "count": len(links)}
        ]
    return []


def evaluate_content(*, author: Member, space: Space, title: str, body: str) -> RuleDecision:
    """Decide whether a post or answer is held for review instead of appearing at once."""
    links = find_links(f"{title}\n{body}")
    reasons: list[str] = []
    signals: list[Signal] = []
    score = 0
    if get_moderation_settings(space).forbid_promotion:
        signals = promotion_signals(title, body)
        score = sum(signal.weight for signal in signals)
        if score >= PROMOTION_HOLD_SCORE:
            reasons.extend(explain_promotion(signals))
    reasons.extend(_blocked_reasons(title, body, links))
    reasons.extend(_new_member_reasons(author, space, links))
    return RuleDecision(
        is_held=bool(reasons), reasons=reasons, promotion_score=score, signals=signals
    )
