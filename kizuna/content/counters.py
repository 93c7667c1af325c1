"""Counts kept on a post for its pages, which moderation also changes when it hides, deletes or
publishes an answer; a module of its own so moderation can update them without importing
content's services (which call moderation's holds)."""

from kizuna.content.models import Answer, ContentStatus, Post


def recount_answers(post_id: int) -> None:
    """Set a post's answer count from its published answers (after moderation changes one)."""
    count = Answer.objects.filter(post_id=post_id, status=ContentStatus.PUBLISHED).count()
    Post.objects.filter(pk=post_id).update(answer_count=count)
