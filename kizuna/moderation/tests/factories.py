from datetime import timedelta

import factory
from django.utils import timezone

from kizuna.content.models import Answer, Comment, ContentStatus, Post
from kizuna.identity.tests.factories import MemberFactory
from kizuna.moderation.models import ReviewItem
from kizuna.spaces.tests.factories import SpaceFactory


class VeteranFactory(MemberFactory):
    """A member who joined long ago (trust depends on contributions too)."""

    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=365))


class PostFactory(factory.django.DjangoModelFactory[Post]):
    class Meta:
        model = Post

    space = factory.SubFactory(SpaceFactory)
    author = factory.SubFactory(VeteranFactory)
    title = factory.Sequence(lambda n: f"質問 {n}")
    body = "設定画面の使い方を教えてください。"
    status = ContentStatus.PUBLISHED


class AnswerFactory(factory.django.DjangoModelFactory[Answer]):
    class Meta:
        model = Answer

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(VeteranFactory)
    body = "管理画面から変更できます。"


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(VeteranFactory)
    body = "ありがとうございます"


class ReviewItemFactory(factory.django.DjangoModelFactory[ReviewItem]):
    class Meta:
        model = ReviewItem

    post = factory.SubFactory(PostFactory, status=ContentStatus.HELD)
    space = factory.LazyAttribute(lambda item: item.post.space)
    source = ReviewItem.Source.RULE
    reasons = factory.LazyFunction(lambda: ["Possible promotion: campaign wording 'discount'"])
