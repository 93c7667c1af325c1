"""Posts, answers and comments shaped into the API's output schemas."""

from kizuna.content.models import Answer, Comment, Post
from kizuna.content.schemas import AnswerOut, CommentOut, PostOut, PostSummaryOut, TagOut
from kizuna.identity.schemas import MemberRefOut
from kizuna.moderation.selectors import held_reasons


def _tags_of(post: Post) -> list[TagOut]:
    # Sorted in Python: the prefetch may or may not be ordered, and this costs no query.
    tags = sorted(post.tags.all(), key=lambda tag: (tag.name, tag.pk))
    return [TagOut(name=tag.name, slug=tag.slug) for tag in tags]


def post_summary_out(post: Post) -> PostSummaryOut:
    """A post for a list; needs `space`, `author` and `tags` loaded."""
    return PostSummaryOut(
        id=post.pk,
        space=post.space.slug,
        post_type=post.post_type,  # type: ignore[arg-type]
        title=post.title,
        author=MemberRefOut.of(post.author),
        status=post.status,  # type: ignore[arg-type]
        tags=_tags_of(post),
        is_solved=post.is_solved,
        is_peer_resolved=post.is_peer_resolved,
        is_locked=post.is_locked,
        answer_count=post.answer_count,
        reaction_count=post.reaction_count,
        view_count=post.view_count,
        created_at=post.created_at,
        last_activity_at=post.last_activity_at,
    )


def post_out(post: Post) -> PostOut:
    return PostOut(
        **post_summary_out(post).model_dump(),
        body=post.body,
        body_html=post.body_html,
        accepted_answer_id=post.accepted_answer_id,
        solved_at=post.solved_at,
        first_answer_at=post.first_answer_at,
        edited_at=post.edited_at,
        public_use_consent=post.public_use_consent,
        held_reasons=held_reasons(post),
    )


def comment_out(comment: Comment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        post_id=comment.post_id,
        answer_id=comment.answer_id,
        author=MemberRefOut.of(comment.author),
        body=comment.body,
        created_at=comment.created_at,
    )


def answer_out(answer: Answer, *, accepted_answer_id: int | None) -> AnswerOut:
    return AnswerOut(
        id=answer.pk,
        post_id=answer.post_id,
        author=MemberRefOut.of(answer.author),
        body=answer.body,
        body_html=answer.body_html,
        status=answer.status,  # type: ignore[arg-type]
        is_accepted=answer.pk == accepted_answer_id,
        reaction_count=answer.reaction_count,
        created_at=answer.created_at,
        edited_at=answer.edited_at,
        comments=[comment_out(comment) for comment in answer.comments.all()],
    )
