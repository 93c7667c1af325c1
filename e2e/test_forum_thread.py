"""A question asked, answered and seen: the composer, the thread and the space's feed."""

import re
from collections.abc import Callable
from typing import Self

from playwright.sync_api import Locator, Page, expect

from e2e.conftest import Screenshot
from e2e.pages import LoginPage
from kizuna.content.tests.factories import AnswerFactory, PostFactory, TagFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

PASSWORD = "correct horse battery staple"


class ComposerPage:
    def __init__(self, page: Page, slug: str) -> None:
        self.page = page
        self.path = f"/spaces/{slug}/posts/new/"

    def open(self) -> Self:
        self.page.goto(self.path)
        return self

    @property
    def form(self) -> Locator:
        return self.page.locator("form.composer")

    def write(self, *, title: str, body: str, tags: str) -> None:
        self.form.locator('input[name="post_type"][value="question"]').check()
        self.form.locator('input[name="title"]').fill(title)
        self.form.locator('textarea[name="body"]').fill(body)
        self.form.locator('input[name="tags"]').fill(tags)

    def preview(self) -> Locator:
        self.form.locator("button[hx-post]").first.click()
        return self.page.locator(".markdown-preview .markdown")

    def publish(self) -> None:
        self.form.locator('button[type="submit"]').click()


class ThreadPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def title(self) -> Locator:
        return self.page.locator("h1.thread-title")

    @property
    def answers(self) -> Locator:
        return self.page.locator("#answers article.answer")

    @property
    def answer_box(self) -> Locator:
        return self.page.locator('#answer-form textarea[name="body"]')

    def mention(self, prefix: str) -> None:
        """Type @prefix and pick the first suggestion, as a member would."""
        self.answer_box.press_sequentially(f"@{prefix}")
        expect(self.page.locator(".mention-menu li").first).to_be_visible()
        self.answer_box.press("Enter")

    def answer(self, body: str) -> None:
        self.answer_box.press_sequentially(body)
        self.page.locator('#answer-form button[type="submit"]').click()


def _space_with_members() -> tuple[Space, str, str]:
    space = SpaceFactory(name="経理担当者の広場", slug="accounting", purpose="請求と経理の相談")
    asker = MemberFactory(display_name="山田 花子")
    helper = MemberFactory(display_name="佐藤 次郎")
    for member in (asker, helper):
        MembershipFactory(space=space, member=member)
    return space, asker.email, helper.email


def test_a_member_asks_another_answers_and_the_asker_sees_it(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    space, asker_email, helper_email = _space_with_members()
    other = PostFactory(
        space=space, title="CSV の文字コードについて", body="Shift_JIS で出力できますか？"
    )
    other.tags.add(TagFactory(name="CSV", slug="csv"))
    AnswerFactory(post=other, body="設定 > 出力 から選べます。")

    asker_page = new_page()
    LoginPage(asker_page).open_and_sign_in(email=asker_email, password=PASSWORD)
    composer = ComposerPage(asker_page, space.slug).open()
    composer.write(
        title="請求書を再発行する方法",
        body="**至急**：先月分の請求書を再発行したいです。\n\n- 宛名を変えたい\n- PDF で欲しい",
        tags="請求, PDF",
    )
    expect(composer.preview()).to_contain_text("至急")
    screenshot(asker_page, "forum-composer")
    composer.publish()

    thread = ThreadPage(asker_page)
    expect(thread.title).to_have_text("請求書を再発行する方法")
    thread_url = asker_page.url

    helper_page = new_page()
    LoginPage(helper_page).open_and_sign_in(email=helper_email, password=PASSWORD)
    helper_page.goto(thread_url)
    helper_thread = ThreadPage(helper_page)
    helper_thread.mention("山田")
    expect(helper_thread.answer_box).to_have_value(re.compile(r"^@\[山田 花子\]\(member:\d+\) $"))
    helper_thread.answer("「請求」タブの **再発行** ボタンから PDF で出せます。")
    expect(helper_thread.answers).to_have_count(1)
    expect(helper_thread.answers.first).to_contain_text("再発行")
    expect(helper_thread.answers.first.locator("a.mention")).to_have_text("山田 花子")

    asker_page.reload()
    expect(thread.answers).to_have_count(1)
    expect(thread.answers.first).to_contain_text("佐藤 次郎")
    screenshot(asker_page, "forum-thread")

    asker_page.goto(f"/spaces/{space.slug}/posts/")
    expect(asker_page.locator(".post-row")).to_have_count(2)
    expect(asker_page.locator(".post-row").first).to_contain_text("請求書を再発行する方法")
    screenshot(asker_page, "forum-feed")

    asker_page.goto(f"/spaces/{space.slug}/")
    expect(asker_page.locator(".space-posts .post-row")).to_have_count(2)
    screenshot(asker_page, "forum-space-detail")
