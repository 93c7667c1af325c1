"""Automatic moderation rules applied to new and edited content before it appears (S3)."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RuleDecision:
    """Whether content is held for review, with reasons an author and a moderator can read."""

    is_held: bool = False
    reasons: list[str] = field(default_factory=list)


def evaluate_content(*, author: Any, space: Any, title: str, body: str) -> RuleDecision:
    """Decide whether a post or answer is held for review instead of appearing at once."""
    return RuleDecision()
