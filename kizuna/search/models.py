"""The search index: one document per post, kept current by `index_post` (ADR 0006).

Visibility is never read from here: searches join the live `posts_visible_to` rule, so a
stale document can at worst be missing, never shown to someone who may not read it.
On PostgreSQL `search_vector` holds the GIN-indexed tsvector; on SQLite it stays empty
and the FTS5 table `search_fts` (rowid = post id) holds the same terms.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from kizuna.content.models import ContentStatus, Post, PostType


class SearchDocument(models.Model):
    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post_type = models.CharField(max_length=16, choices=PostType.choices)
    status = models.CharField(max_length=16, choices=ContentStatus.choices)
    is_solved = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    body_text = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["-last_activity_at", "-post"], name="searchdoc_recent"),
            models.Index(fields=["space", "-last_activity_at"], name="searchdoc_space_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class PendingIndex(models.Model):
    """A post whose search document may not match it yet.

    Marked in the same transaction as the write, so a committed change is never forgotten
    even if its indexing task is lost or fails; indexing removes the mark it read, and the
    periodic sweep re-indexes what is still marked (with how often it failed, and why).
    """

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="pending_index"
    )
    # Bumped by every write: indexing removes the mark only if no write came after its read.
    generation = models.PositiveBigIntegerField(default=1)
    queued_at = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["failures", "queued_at"], name="pendingindex_sweep")]

    def __str__(self) -> str:
        return f"post {self.post_id}"
