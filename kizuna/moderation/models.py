"""Moderation state: per-space settings, community-wide blocked terms, flags, the review queue
and warnings (S3).

A review item is its own model (Discourse's "reviewable"): the content keeps only its status,
the queue keeps why it was put there, by which source, and how it was resolved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Exactly one target column is set on a flag or a review item.
ONE_TARGET = (
    Q(post__isnull=False, answer__isnull=True, comment__isnull=True)
    | Q(post__isnull=True, answer__isnull=False, comment__isnull=True)
    | Q(post__isnull=True, answer__isnull=True, comment__isnull=False)
)


class SpaceModerationSettings(models.Model):
    """How strictly a space is moderated; a space without a row uses the defaults."""

    space = models.OneToOneField(
        "spaces.Space", on_delete=models.CASCADE, related_name="moderation_settings"
    )
    forbid_promotion = models.BooleanField(
        _("hold promotional posts"),
        default=True,
        help_text=_(
            "Posts that read as sales or campaign content wait for review, staff included."
        ),
    )
    hold_new_member_links = models.BooleanField(
        _("hold links from new members"),
        default=False,
        help_text=_("Any post with a link by a member at trust level 0 waits for review."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("space moderation settings")

    def __str__(self) -> str:
        return f"moderation settings of space {self.space_id}"


class BlockedTerm(models.Model):
    """A word or a domain that holds any post containing it, in every space."""

    class Kind(models.TextChoices):
        WORD = "word", _("Word")
        DOMAIN = "domain", _("Domain")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="blocked_term_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["word", "domain"]), name="blocked_term_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    PROMOTION = "promotion", _("Promotion or sales")
    OFF_TOPIC = "off_topic", _("Off topic")
    ABUSIVE = "abusive", _("Abusive or harassing")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    """A member's report that a post, answer or comment needs a moderator's look."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("review status", "Open")
        RESOLVED = "resolved", _("Resolved")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey(
        "content.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        "content.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="flag_one_target"),
            models.UniqueConstraint(
                fields=["member", "post"],
                condition=Q(status="open", post__isnull=False),
                name="flag_one_open_per_post",
            ),
            models.UniqueConstraint(
                fields=["member", "answer"],
                condition=Q(status="open", answer__isnull=False),
                name="flag_one_open_per_answer",
            ),
            models.UniqueConstraint(
                fields=["member", "comment"],
                condition=Q(status="open", comment__isnull=False),
                name="flag_one_open_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"flag {self.pk} ({self.reason})"


class ReviewItem(models.Model):
    """One piece of content waiting for (or resolved by) a moderator, and why it is there."""

    class Source(models.TextChoices):
        RULE = "rule", _("Automatic rule")
        FLAG = "flag", _("Member flags")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("review status", "Open")
        RESUBMITTED = "resubmitted", _("Resubmitted by the author")
        RESOLVED = "resolved", _("Resolved")

    class Action(models.TextChoices):
        APPROVE = "approve", pgettext_lazy("review action", "Approved")
        HIDE = "hide", _("Hidden")
        DELETE = "delete", pgettext_lazy("review action", "Deleted")
        DISMISS = "dismiss", pgettext_lazy("review decision", "Dismissed")

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        "content.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "content.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reasons = models.JSONField(default=list, blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices, blank=True)
    resolution_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "space", "-created_at"], name="review_item_queue"),
        ]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="review_item_one_target"),
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(post__isnull=False) & ~Q(status="resolved"),
                name="review_item_one_pending_per_post",
            ),
            models.UniqueConstraint(
                fields=["answer"],
                condition=Q(answer__isnull=False) & ~Q(status="resolved"),
                name="review_item_one_pending_per_answer",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(comment__isnull=False) & ~Q(status="resolved"),
                name="review_item_one_pending_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"review item {self.pk} ({self.source}, {self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status != self.Status.RESOLVED

    @property
    def target(self) -> models.Model:
        target = self.post or self.answer or self.comment
        assert target is not None
        return target

    @property
    def target_kind(self) -> str:
        return "post" if self.post_id else "answer" if self.answer_id else "comment"


class Hold(models.Model):
    """Why a post, answer or comment is held back from its readers, and who may lift it.

    Written with the content's HELD status by `kizuna.moderation.holds`: the rules' reasons on new
    content or its author's edit, or the flags' reasons when enough members flagged it. A rule
    hold the author's next edit no longer earns is removed with the content published; a flag
    hold stays until a moderator's decision removes it.
    """

    class Source(models.TextChoices):
        RULES = "rules", _("Automatic rules")
        FLAGS = "flags", _("Member flags")

    post = models.OneToOneField(
        "content.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.OneToOneField(
        "content.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.OneToOneField(
        "content.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The author's latest edit while held: the review queue shows the item as resubmitted.
    resubmitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="hold_one_target"),
            models.CheckConstraint(
                condition=Q(source__in=["rules", "flags"]), name="hold_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"hold {self.pk} ({self.source})"


class MemberWarning(models.Model):
    """A moderator's warning to a member; its message is shown to them in the app."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_warnings"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    review_item = models.ForeignKey(
        ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="warnings"
    )
    message = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"warning {self.pk} to {self.member_id}"
