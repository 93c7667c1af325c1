import pytest

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.moderation.models import SpaceModerationSettings
from kizuna.moderation.rules import PROMOTION_HOLD_SCORE, RuleDecision, evaluate_content
from kizuna.moderation.tests.factories import VeteranFactory
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def evaluate(
    title: str, body: str = "", *, author: Member | None = None, space: Space | None = None
) -> RuleDecision:
    return evaluate_content(
        author=author or VeteranFactory(),
        space=space or SpaceFactory(),
        title=title,
        body=body,
    )


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("【期間限定】割引キャンペーンのお知らせ", "今月中のお申し込みで20%割引です。"),
        ("特別価格でご提供", "詳しくはお問い合わせください。"),
        ("資料請求はこちら", "弊社サービスの資料をお送りします。"),
        ("新機能のご紹介", "導入のご相談はお気軽にどうぞ。"),
        ("無料トライアル実施中", "キャンペーン期間中に登録してください。"),
        ("Limited time discount", "Get 20% discount on all plans."),
        ("Use promo code SPRING", "Apply it at checkout."),
        ("Our new integration", "Book a demo with our team today."),
        ("Upgrade now", "Check https://vendor.example.com/plans?utm_campaign=spring for details."),
        ("Let's talk", "Pick a time: https://calendly.com/sales-team/30min"),
        ("アンケートのお願い", "回答はこちら https://forms.gle/abc123"),
    ],
)
def test_holds_sales_and_campaign_content(title: str, body: str) -> None:
    decision = evaluate(title, body)

    assert decision.is_held
    assert decision.promotion_score >= PROMOTION_HOLD_SCORE
    assert all(reason.startswith("Possible promotion") for reason in decision.reasons)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("料金プランの違いを教えてください", "スタンダードとプロの違いがわかりません。"),
        ("請求書の発行方法", "毎月の請求書はどこからダウンロードできますか?"),
        ("割引は適用されていますか?", "年間契約の請求額を確認したいです。"),
        ("What is the difference between the pricing plans?", "We are on Standard."),
        ("Free trial ended, data kept?", "Will our data stay after the trial?"),
        ("CSV export", "See https://docs.example.com/export for what I tried."),
    ],
)
def test_lets_ordinary_questions_about_price_through(title: str, body: str) -> None:
    decision = evaluate(title, body)

    assert not decision.is_held
    assert decision.reasons == []


def test_explains_which_campaign_words_held_it() -> None:
    decision = evaluate("期間限定の割引", "")

    assert decision.reasons == [
        "Possible promotion: campaign or pricing wording '割引', '期間限定'"
    ]


def test_explains_wording_and_sales_link_together() -> None:
    decision = evaluate(
        "Limited time offer", "Sign up at https://vendor.example/lp/spring?utm_campaign=x"
    )

    assert decision.reasons == [
        "Possible promotion: campaign or pricing wording 'limited time'",
        "Possible promotion: a sales link (utm_campaign)",
    ]


def test_explains_contact_sales_calls() -> None:
    decision = evaluate("ご案内", "お見積りはお問い合わせはこちらから")

    assert decision.reasons == [
        "Possible promotion: a call to contact sales 'お見積り', 'お問い合わせはこちら'"
    ]


def test_two_weak_link_signals_hold_but_one_does_not() -> None:
    one = evaluate("Docs", "See https://vendor.example/pricing")
    two = evaluate("Docs", "See https://vendor.example/pricing and https://vendor.example/demo")

    assert not one.is_held
    assert two.is_held
    assert two.reasons == ["Possible promotion: a sales link (pricing, demo)"]


def test_holds_staff_posts_too() -> None:
    decision = evaluate("【今だけ】特別価格キャンペーン", "", author=StaffFactory())

    assert decision.is_held


def test_a_space_that_allows_promotion_does_not_hold_it() -> None:
    space = SpaceFactory()
    SpaceModerationSettings.objects.create(space=space, forbid_promotion=False)

    decision = evaluate("【期間限定】割引キャンペーン", "", space=space)

    assert not decision.is_held


def test_does_not_create_settings_when_evaluating() -> None:
    evaluate("質問", "")

    assert not SpaceModerationSettings.objects.exists()
