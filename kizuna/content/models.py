"""Posts, answers, comments and what members do with them (S2).

Moderation state lives on each piece of content (`status`); a post outside
PUBLISHED is seen only by its author and the space's moderators. Why held content
is held is moderation's (`kizuna.moderation.models.Hold`). Visibility of
a post is always "its space's content is visible to the viewer" (the space
policy) AND "its status lets this viewer see it" (kizuna.content.permissions).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PostType(models.TextChoices):
    QUESTION = "question", _("Question")
    DISCUSSION = "discussion", _("Discussion")
    CASE_STUDY = "case_study", _("Case study")
    ARTICLE = "article", _("Article / tip")
    ANNOUNCEMENT = "announcement", _("Announcement")


class ContentStatus(models.TextChoices):
    PUBLISHED = "published", pgettext_lazy("content status", "Published")
    HELD = "held", _("Held for review")
    HIDDEN = "hidden", _("Hidden by a moderator")
    DELETED = "deleted", pgettext_lazy("content status", "Deleted")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    post_type = models.CharField(
        _("type"), max_length=16, choices=PostType.choices, default=PostType.QUESTION
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=50000)
    body_html = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    status = models.CharField(
        max_length=16, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED
    )
    is_locked = models.BooleanField(default=False)
    public_use_consent = models.BooleanField(
        _("may be used publicly"),
        default=False,
        help_text=_("Case studies only: the vendor may quote this case publicly."),
    )
    accepted_answer = models.OneToOneField(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_for"
    )
    solved_at = models.DateTimeField(null=True, blank=True)
    is_peer_resolved = models.BooleanField(default=False)
    first_answer_at = models.DateTimeField(null=True, blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    reaction_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["space", "status", "-last_activity_at"], name="post_space_feed"),
            models.Index(
                fields=["space", "-created_at"],
                name="post_unanswered",
                condition=Q(post_type="question", answer_count=0, status="published"),
            ),
            models.Index(fields=["author", "-created_at"], name="post_author"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_question(self) -> bool:
        return self.post_type == PostType.QUESTION

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None


class Answer(models.Model):
    """An answer to a question, or a reply in any other kind of thread."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers"
    )
    body = models.TextField(_("body"), max_length=50000)
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED
    )
    reaction_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="answer_thread")]

    def __str__(self) -> str:
        return f"{self.author} → {self.post}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(pgettext_lazy("model field", "comment"), max_length=5000)
    status = models.CharField(
        max_length=16, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class Revision(models.Model):
    """The text of a post or answer before an edit: the edit history shows diffs between these."""

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, answer__isnull=True)
                | Q(post__isnull=True, answer__isnull=False),
                name="revision_of_post_or_answer",
            )
        ]

    def __str__(self) -> str:
        return f"revision {self.pk} by {self.editor_id}"


class Attachment(models.Model):
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    is_image = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class Reaction(models.Model):
    """A "いいね" on a post or an answer; one per member and target."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "post"],
                condition=Q(answer__isnull=True),
                name="reaction_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["member", "answer"],
                condition=Q(answer__isnull=False),
                name="reaction_once_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} likes {self.answer_id or self.post_id}"


class Bookmark(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["member", "post"], name="bookmark_once")]

    def __str__(self) -> str:
        return f"{self.member_id} bookmarked {self.post_id}"


class Follow(models.Model):
    """A member follows a post, a space or a tag, to be notified of new activity there."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    tag = models.ForeignKey(
        Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post__isnull=False, space__isnull=True, tag__isnull=True)
                    | Q(post__isnull=True, space__isnull=False, tag__isnull=True)
                    | Q(post__isnull=True, space__isnull=True, tag__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["member", "post"], condition=Q(post__isnull=False), name="follow_post_once"
            ),
            models.UniqueConstraint(
                fields=["member", "space"],
                condition=Q(space__isnull=False),
                name="follow_space_once",
            ),
            models.UniqueConstraint(
                fields=["member", "tag"], condition=Q(tag__isnull=False), name="follow_tag_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.post_id or self.space_id or self.tag_id}"


class KnowledgeArticle(models.Model):
    """A solved thread promoted by staff to a knowledge article or FAQ entry; it keeps its source."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Knowledge article")
        FAQ = "faq", _("FAQ entry")

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.PROTECT, related_name="knowledge_articles"
    )
    source_post = models.OneToOneField(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="knowledge_article"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=50000)
    body_html = models.TextField(blank=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
