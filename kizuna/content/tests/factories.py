import factory

from kizuna.content.markdown import render_markdown
from kizuna.content.models import Answer, Comment, Post, PostType, Tag
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.tests.factories import SpaceFactory


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"タグ{n}")
    slug = factory.LazyAttribute(lambda tag: tag.name.lower())


class PostFactory(factory.django.DjangoModelFactory[Post]):
    class Meta:
        model = Post

    space = factory.SubFactory(SpaceFactory)
    author = factory.SubFactory(MemberFactory)
    post_type = PostType.QUESTION
    title = factory.Sequence(lambda n: f"請求書の発行方法について {n}")
    body = "請求書を発行する手順を教えてください。"
    body_html = factory.LazyAttribute(lambda post: render_markdown(post.body))


class AnswerFactory(factory.django.DjangoModelFactory[Answer]):
    class Meta:
        model = Answer

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(MemberFactory)
    body = "設定画面の「請求」タブから発行できます。"
    body_html = factory.LazyAttribute(lambda answer: render_markdown(answer.body))


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(MemberFactory)
    body = "ありがとうございます！"
