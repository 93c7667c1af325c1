"""The composer and the thread follow the post type: case-study headings and consent, the asker's comment box."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import Screenshot
from e2e.pages import LoginPage
from kizuna.content.models import Post
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

PASSWORD = "correct horse battery staple"


def _signed_in_member(new_page: Callable[..., Page]) -> tuple[Page, str]:
    space = SpaceFactory(name="経理担当者の広場", slug="accounting")
    member = MemberFactory(display_name="山田 花子")
    MembershipFactory(space=space, member=member)
    page = new_page()
    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)
    return page, space.slug


def test_choosing_case_study_fills_an_empty_body_with_the_headings_and_asks_consent(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    page, slug = _signed_in_member(new_page)
    page.goto(f"/spaces/{slug}/posts/new/")
    body = page.locator('form.composer textarea[name="body"]')
    consent = page.locator(".consent-field")
    template = body.get_attribute("data-case-study-template")
    assert template
    expect(consent).to_be_hidden()

    page.locator('input[name="post_type"][value="case_study"]').check()
    expect(body).to_have_value(template)
    expect(consent).to_be_visible()
    screenshot(page, "composer-case-study")

    page.locator('input[name="post_type"][value="question"]').check()
    expect(body).to_have_value("")
    expect(consent).to_be_hidden()

    body.fill("月末の締め作業について")
    page.locator('input[name="post_type"][value="case_study"]').check()
    expect(body).to_have_value("月末の締め作業について")


def test_the_asker_thanks_with_a_comment_that_is_not_an_answer(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    asker = MemberFactory(display_name="山田 花子")
    post = PostFactory(author=asker, title="請求書を再発行する方法")
    AnswerFactory(post=post, body="「請求」タブから再発行できます。")
    Post.objects.filter(pk=post.pk).update(answer_count=1)
    page = new_page()
    LoginPage(page).open_and_sign_in(email=asker.email, password=PASSWORD)
    page.goto(f"/posts/{post.pk}/")

    answer_form = page.locator("#answer-form")
    expect(page.locator("#asker-box textarea")).to_be_visible()
    expect(answer_form).to_be_hidden()
    page.locator("#asker-box textarea").fill("ありがとうございます！解決しました。")
    page.locator('#asker-box button[type="submit"]').click()
    expect(page.locator("#comments-post")).to_contain_text("ありがとうございます！解決しました。")
    expect(page.locator("#answers article.answer")).to_have_count(1)
    assert Post.objects.get(pk=post.pk).answer_count == 1

    page.locator(".asker-answer summary").click()
    expect(answer_form).to_be_visible()
    screenshot(page, "thread-asker-box")
