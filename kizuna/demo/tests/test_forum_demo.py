import pytest

from kizuna.activity.models import Activity, Verb
from kizuna.content.models import Answer, ContentStatus, Post, PostType, Reaction
from kizuna.demo.forum import PROMOTION_REASON, THREADS, load_demo_forum
from kizuna.moderation.models import ReviewItem
from kizuna.moderation.selectors import held_reasons
from kizuna.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_every_demo_thread_is_loaded_with_its_answers(demo: None) -> None:
    assert Post.objects.count() == len(THREADS)
    assert Answer.objects.count() == sum(len(t.answers) for t in THREADS)


def test_demo_has_solved_unsolved_and_unanswered_questions(demo: None) -> None:
    questions = Post.objects.filter(post_type=PostType.QUESTION, status=ContentStatus.PUBLISHED)
    assert questions.filter(accepted_answer__isnull=False, solved_at__isnull=False).count() >= 8
    assert questions.filter(accepted_answer__isnull=True, answer_count__gt=0).exists()
    assert questions.filter(answer_count=0).count() >= 3


def test_a_question_solved_by_a_customer_is_peer_resolved(demo: None) -> None:
    peer = Post.objects.filter(is_peer_resolved=True).select_related("accepted_answer__author")
    assert peer.exists()
    assert all(p.accepted_answer.author.staff_role == "" for p in peer)


def test_a_question_solved_by_staff_is_not_peer_resolved(demo: None) -> None:
    by_staff = Post.objects.filter(accepted_answer__author__staff_role__gt="")
    assert by_staff.exists()
    assert not by_staff.filter(is_peer_resolved=True).exists()


def test_held_posts_wait_in_the_review_queue_with_their_reasons(demo: None) -> None:
    held = Post.objects.filter(status=ContentStatus.HELD)
    assert held.count() == 2
    assert all(PROMOTION_REASON in held_reasons(p) for p in held)
    assert held.filter(author__staff_role="marketing").exists()
    queued = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN, source=ReviewItem.Source.RULE)
    assert sorted(queued.values_list("post_id", flat=True)) == sorted(p.pk for p in held)


def test_demo_has_case_studies_with_consent_tips_and_an_announcement(demo: None) -> None:
    assert Post.objects.filter(post_type=PostType.CASE_STUDY, public_use_consent=True).count() >= 2
    assert Post.objects.filter(post_type=PostType.ARTICLE).exists()
    assert Post.objects.filter(
        post_type=PostType.ANNOUNCEMENT,
        status=ContentStatus.PUBLISHED,
        author__staff_role="community_manager",
    ).exists()


def test_answer_counts_and_first_answer_times_match_the_answers(demo: None) -> None:
    for post in Post.objects.prefetch_related("answers"):
        answers = list(post.answers.all())
        assert post.answer_count == len(answers)
        assert post.first_answer_at == (answers[0].created_at if answers else None)
        assert all(a.created_at >= post.created_at for a in answers)


def test_reaction_counts_match_the_reactions(demo: None) -> None:
    assert Reaction.objects.exists()
    for post in Post.objects.all():
        assert post.reaction_count == Reaction.objects.filter(post=post, answer=None).count()
    for answer in Answer.objects.all():
        assert answer.reaction_count == Reaction.objects.filter(answer=answer).count()
    assert not Reaction.objects.filter(post__status=ContentStatus.HELD).exists()


def test_every_demo_action_is_in_the_activity_stream(demo: None) -> None:
    activities = Activity.objects.exclude(verb__in=[Verb.JOINED, Verb.LOGGED_IN])
    assert activities.filter(verb=Verb.POSTED).count() == Post.objects.count()
    assert activities.filter(verb=Verb.ANSWERED).count() == Answer.objects.count()
    assert activities.filter(verb=Verb.REACTED).count() == Reaction.objects.count()
    assert (
        activities.filter(verb=Verb.ACCEPTED).count()
        == Post.objects.filter(accepted_answer__isnull=False).count()
    )
    posted = activities.get(verb=Verb.POSTED, object_id=Post.objects.order_by("pk")[0].pk)
    assert posted.occurred_at == Post.objects.order_by("pk")[0].created_at


def test_loading_the_forum_twice_adds_nothing(demo: None) -> None:
    posts, activities = Post.objects.count(), Activity.objects.count()
    assert load_demo_forum(seed=7) is None
    assert (Post.objects.count(), Activity.objects.count()) == (posts, activities)


def test_demo_posts_are_rendered_and_in_the_search_index(demo: None) -> None:
    assert not Post.objects.filter(body_html="").exists()
    assert not Answer.objects.filter(body_html="").exists()
    assert SearchDocument.objects.count() == Post.objects.count()
