"""The demo community's forum: Japanese threads, answers, reactions, held posts, from a seed.

Questions about invoicing, expense reports, the Electronic Books Act, API integrations and
SSO; answers mostly by customers and some by staff; solved threads (peer-resolved when the
accepted answer is a customer's), unanswered ones for the CSM queue, case studies with
public-use consent, tips, a staff announcement and posts held by the no-promotion rule.
Everything is written with bulk_create so that it loads in well under a second; the activity
stream gets one row per demo action, stamped with the time the action took place.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify

from kizuna.activity.models import Activity, Verb
from kizuna.content.markdown import render_markdown
from kizuna.content.models import Answer, Comment, ContentStatus, Post, PostType, Reaction, Tag
from kizuna.customers.models import MemberAccountLink
from kizuna.identity.models import Member
from kizuna.moderation.holds import judge
from kizuna.moderation.rules import RuleDecision
from kizuna.search.indexing import index_post
from kizuna.spaces.models import Membership, Space

PROMOTION_REASON = "宣伝の可能性: 「期間限定」「割引」という表現"
CONTACT_REASON = "宣伝の可能性: 「無料相談」「お問い合わせ」という表現"

# An answer's author: "customer" is a member of the space who is not staff; "asker" is the
# question's author replying in their own thread; anything else names a staff role.
CUSTOMER = "customer"
ASKER = "asker"


@dataclass(frozen=True)
class DemoThread:
    space: str
    post_type: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    author: str = CUSTOMER
    answers: tuple[tuple[str, str], ...] = ()
    # Index into answers of the accepted one; only questions are solved.
    accepted: int | None = None
    comments: tuple[str, ...] = ()
    public_use_consent: bool = False
    held_reasons: tuple[str, ...] = ()
    days_ago: int = 30


THREADS: tuple[DemoThread, ...] = (
    DemoThread(
        space="user-group",
        post_type=PostType.ANNOUNCEMENT,
        author="community_manager",
        title="【お知らせ】ユーザー会コミュニティへようこそ！はじめにお読みください",
        body=(
            "クラウド経費ナビ ユーザー会へようこそ。\n\n"
            "## このスペースでできること\n"
            "- 使い方の質問（解決したら回答を「ベストアンサー」に選んでください）\n"
            "- 活用事例やちょっとした Tips の共有\n"
            "- 他社の担当者との情報交換\n\n"
            "製品の宣伝や営業目的の投稿はご遠慮ください。困ったときはモデレーターまでお気軽にどうぞ。"
        ),
        tags=("お知らせ",),
        days_ago=200,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.QUESTION,
        title="請求書発行の手順：取引先ごとに請求書の書式を変えられますか？",
        body=(
            "請求書を発行する手順について質問です。取引先によって「振込先を2つ記載してほしい」"
            "「品番の列を追加してほしい」などの要望があり、取引先ごとに請求書の書式を変えたいと"
            "考えています。テンプレートを複数持つことはできるのでしょうか。"
        ),
        tags=("請求書発行",),
        answers=(
            (
                CUSTOMER,
                "弊社も同じ要望がありました。「設定 → 帳票テンプレート」で複数のテンプレートを作り、"
                "取引先マスタの「既定テンプレート」で紐付けると、請求書の発行時に自動で切り替わります。",
            ),
            (ASKER, "ありがとうございます！取引先マスタの設定を見落としていました。できました。"),
            (
                "csm",
                "補足です。品番の列は明細項目の「カスタム列」で追加できます（最大5列）。"
                "詳しくはヘルプセンターの「帳票テンプレートの編集」をご覧ください。",
            ),
        ),
        accepted=0,
        days_ago=150,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.QUESTION,
        title="インボイス制度の登録番号を請求書に自動で載せる方法",
        body=(
            "適格請求書発行事業者の登録番号（T から始まる番号）を、発行する請求書すべてに"
            "自動で記載したいです。毎回手入力しているのですが、どこかで一括設定できますか？"
        ),
        tags=("請求書発行", "インボイス制度"),
        answers=(
            (
                CUSTOMER,
                "「会社情報 → 適格請求書発行事業者登録番号」に入力しておくと、標準テンプレートには"
                "自動で印字されます。独自テンプレートの場合は差し込み項目 {登録番号} を置いてください。",
            ),
            (CUSTOMER, "独自テンプレートの差し込み項目、知りませんでした。助かります。"),
        ),
        accepted=0,
        comments=("税率ごとの消費税額の表示も同じ画面で設定できますよ。",),
        days_ago=120,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.QUESTION,
        title="経費精算の承認フローを部署ごとに分けたい",
        body=(
            "営業部は課長→部長、管理部は部長のみ、のように部署ごとに経費精算の承認フローを"
            "分けたいです。金額によって承認者を追加する条件分岐も可能でしょうか？"
        ),
        tags=("経費精算", "承認フロー"),
        answers=(
            (
                CUSTOMER,
                "部署ごとのフローは「承認ルート」を部署に割り当てれば分けられます。金額条件は"
                "ルートの中で「5万円以上なら役員承認を追加」のように設定できます。",
            ),
            (
                CUSTOMER,
                "弊社では10万円以上で経理部長の承認を挟んでいます。条件は3段階まで作れました。",
            ),
            (ASKER, "両方の方法を組み合わせて設定できました。ありがとうございました。"),
        ),
        accepted=0,
        days_ago=95,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.QUESTION,
        title="電子帳簿保存法の検索要件：取引先名で検索できるようにするには",
        body=(
            "電子帳簿保存法の検索要件（取引年月日・取引金額・取引先）を満たすために、"
            "受領した請求書PDFを取引先名で検索できるようにしたいです。アップロード時に"
            "何を入力しておけばよいのでしょうか。"
        ),
        tags=("電子帳簿保存法",),
        answers=(
            (
                "csm",
                "アップロード画面の「取引先」「取引日」「金額」の3項目を入力いただければ検索要件を"
                "満たします。AI-OCR をオンにすると自動で読み取った値が入りますので、確認だけで済みます。",
            ),
            (CUSTOMER, "AI-OCR の読み取り精度はかなり高いです。手書きの領収書は要確認ですが。"),
        ),
        accepted=0,
        days_ago=80,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.QUESTION,
        title="スマホで撮影した領収書の原本は破棄してよいですか？",
        body=(
            "スキャナ保存の要件を満たしていれば紙の領収書は破棄してよいと聞きました。"
            "クラウド経費ナビのスマホアプリで撮影したものも対象になりますか？社内で意見が分かれています。"
        ),
        tags=("電子帳簿保存法", "経費精算"),
        answers=(
            (
                CUSTOMER,
                "弊社では顧問税理士に確認のうえ、タイムスタンプ付与を確認してから破棄する運用にしました。"
                "ただし社内規程の整備が前提なので、まず規程のひな形を作るのがおすすめです。",
            ),
        ),
        days_ago=12,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.QUESTION,
        title="交通系ICカードの履歴取り込みで重複が出る",
        body=(
            "交通系ICカードの利用履歴を取り込むと、同じ区間が2件ずつ登録されてしまうことがあります。"
            "同じような現象の方はいらっしゃいますか？"
        ),
        tags=("経費精算",),
        days_ago=3,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.QUESTION,
        title="経費精算の差し戻し理由をテンプレート化したい",
        body=(
            "承認者が差し戻すときの理由が毎回バラバラで、申請者が困っています。"
            "「領収書の添付漏れ」など定型の理由を選べるようにできますか？"
        ),
        tags=("経費精算", "承認フロー"),
        days_ago=1,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.ARTICLE,
        title="【Tips】月末の経費精算を3日早く締めるために私たちがやったこと",
        body=(
            "月末締めが毎月遅れていた経理チームで、次の3つを実施しました。\n\n"
            "1. 申請期限の3日前にリマインドを自動送信\n"
            "2. 差し戻し理由を定型文にして、申請者が迷わないようにする\n"
            "3. 5,000円未満の交通費は一次承認を省略\n\n"
            "結果、締め日が平均3日早まりました。皆さんの工夫もぜひ教えてください。"
        ),
        tags=("経費精算", "業務効率化"),
        answers=(
            (CUSTOMER, "リマインドの自動送信、すぐ真似します！"),
            (CUSTOMER, "弊社は Slack 通知と組み合わせて、未申請者だけにメンションしています。"),
        ),
        days_ago=60,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.CASE_STUDY,
        title="【事例】紙の請求書をゼロに：従業員300名の物流会社の1年間",
        body=(
            "物流会社での請求書発行と受領のペーパーレス化の事例です。\n\n"
            "## 背景\n月に800枚の紙の請求書を郵送しており、封入作業に2人日かかっていました。\n\n"
            "## 取り組み\n取引先に電子発行への切り替えをお願いし、同意が得られない取引先だけ"
            "郵送代行を使いました。\n\n## 結果\n1年で電子化率92%、郵送コストは年間約180万円削減。"
        ),
        tags=("請求書発行", "事例"),
        public_use_consent=True,
        answers=((CUSTOMER, "取引先への切り替え依頼の文面、参考にさせていただきたいです。"),),
        days_ago=110,
    ),
    DemoThread(
        space="customers",
        post_type=PostType.CASE_STUDY,
        title="【事例】グループ会社5社の経費精算を1つの環境に統合しました",
        body=(
            "グループ会社ごとに別々だった経費精算の環境を統合した事例です。勘定科目のマッピング表を"
            "先に作ったことが成功のポイントでした。社外での紹介にもご利用いただいて構いません。"
        ),
        tags=("経費精算", "事例"),
        public_use_consent=True,
        answers=(
            ("csm", "素晴らしい事例の共有をありがとうございます！次回のユーザー会でもぜひ。"),
            (CUSTOMER, "マッピング表のサンプルを見せていただくことはできますか？"),
        ),
        days_ago=70,
    ),
    DemoThread(
        space="customers",
        post_type=PostType.CASE_STUDY,
        title="【事例】電子帳簿保存法対応を3か月で終えた進め方（社内向け共有）",
        body=(
            "電子帳簿保存法への対応を、規程づくり→運用テスト→全社展開の3段階で進めました。"
            "社名を出さない形での共有のみでお願いします。"
        ),
        tags=("電子帳簿保存法", "事例"),
        answers=((CUSTOMER, "規程づくりで一番もめたのはどの点でしたか？"),),
        days_ago=40,
    ),
    DemoThread(
        space="customers",
        post_type=PostType.QUESTION,
        title="SSO設定：Microsoft Entra ID で SAML 連携するときの属性の指定",
        body=(
            "SSO設定で Microsoft Entra ID（旧 Azure AD）と SAML 連携しようとしています。"
            "NameID にはメールアドレスを指定すればよいでしょうか？部署名も連携したいです。"
        ),
        tags=("SSO設定",),
        answers=(
            (
                "product_manager",
                "NameID はメールアドレス（user.mail）を指定してください。部署名は追加の属性"
                "「department」として送っていただくと、プロフィールの部署に反映されます。",
            ),
            (ASKER, "設定できました。ありがとうございます。"),
        ),
        accepted=0,
        days_ago=55,
    ),
    DemoThread(
        space="customers",
        post_type=PostType.QUESTION,
        title="SSO設定後、退職者のアカウントを自動で無効にしたい",
        body=(
            "SSO設定は完了したのですが、退職者のアカウントが残ったままになります。"
            "IdP 側で無効化したら自動で利用停止にする方法はありますか？"
        ),
        tags=("SSO設定", "アカウント管理"),
        answers=(
            (
                CUSTOMER,
                "SCIM プロビジョニングを有効にすると、IdP 側で無効化したユーザーは翌朝までに"
                "自動で利用停止になります。弊社では Okta で運用しています。",
            ),
            (CUSTOMER, "Entra ID でも SCIM で同じことができました。"),
        ),
        accepted=0,
        days_ago=33,
    ),
    DemoThread(
        space="customers",
        post_type=PostType.DISCUSSION,
        title="経費精算システムの社内説明会、皆さんどうしていますか？",
        body=(
            "新しく入社した方向けに経費精算の説明会を毎月開いていますが、参加率が低いです。"
            "動画にする、マニュアルを配る等、皆さんの工夫を教えてください。"
        ),
        tags=("経費精算", "社内展開"),
        answers=(
            (CUSTOMER, "5分の動画を3本に分けて、社内ポータルに置いています。"),
            (
                CUSTOMER,
                "最初の申請だけ経理がチャットで伴走するようにしたら、問い合わせが減りました。",
            ),
            ("csm", "オンボーディング用の動画素材をご提供できますので、必要ならご連絡ください。"),
        ),
        days_ago=25,
    ),
    DemoThread(
        space="customers-invoicing",
        post_type=PostType.QUESTION,
        title="請求書の一括発行で、取引先ごとに送付方法（メール／郵送）を分けたい",
        body=(
            "月末に200件ほど請求書を一括発行しています。メール送付と郵送代行が混在しているのですが、"
            "一括発行の画面で送付方法を取引先ごとに自動で振り分けられますか？"
        ),
        tags=("請求書発行",),
        answers=(
            (
                CUSTOMER,
                "取引先マスタの「送付方法」を設定しておけば、一括発行時に自動で振り分けられます。"
                "郵送代行分だけ確認画面が出ます。",
            ),
        ),
        accepted=0,
        days_ago=20,
    ),
    DemoThread(
        space="customers-invoicing",
        post_type=PostType.QUESTION,
        title="請求書発行後の入金消込を自動化している方はいますか？",
        body=(
            "請求書発行まではできているのですが、入金消込が手作業です。銀行のデータ連携で"
            "自動化されている方がいたら、運用の注意点を教えてください。"
        ),
        tags=("請求書発行", "入金消込"),
        days_ago=6,
    ),
    DemoThread(
        space="customers-kansai",
        post_type=PostType.DISCUSSION,
        title="関西分科会：次回の勉強会（大阪開催）のテーマ募集",
        body=(
            "次回は大阪で対面の勉強会を予定しています。取り上げてほしいテーマがあれば"
            "コメントで教えてください。電子帳簿保存法の運用事例が人気でした。"
        ),
        tags=("イベント",),
        answers=(
            (CUSTOMER, "インボイス制度対応後の請求書発行の運用を聞きたいです。"),
            (CUSTOMER, "経費精算の規程改定の進め方をぜひ。"),
        ),
        days_ago=15,
    ),
    DemoThread(
        space="developers",
        post_type=PostType.QUESTION,
        title="API連携：経費データを会計ソフトに連携するときのレート制限",
        body=(
            "API連携で月末に経費データを一括取得しているのですが、429 Too Many Requests が"
            "返ってきます。レート制限の値と、推奨される取得方法を教えてください。\n\n"
            "```\nGET /v1/expenses?page=12\nHTTP/1.1 429 Too Many Requests\n```"
        ),
        tags=("API連携",),
        answers=(
            (
                CUSTOMER,
                "1分あたり60リクエストです。Retry-After ヘッダーの秒数だけ待ってから再試行すると"
                "安定します。あと updated_since パラメータで差分だけ取ると件数が激減しますよ。",
            ),
            ("product_manager", "補足：月末だけ一時的に上限を引き上げる申請もできます。"),
            (ASKER, "updated_since で差分取得にしたら429が出なくなりました！"),
        ),
        accepted=0,
        days_ago=45,
    ),
    DemoThread(
        space="developers",
        post_type=PostType.QUESTION,
        title="Webhook の署名検証がうまくいきません（Python）",
        body=(
            "Webhook の X-Signature ヘッダーを HMAC-SHA256 で検証しようとしていますが、"
            "値が一致しません。リクエストボディは JSON をパースしてから文字列化しています。"
        ),
        tags=("API連携", "Webhook"),
        answers=(
            (
                CUSTOMER,
                "パースしてから文字列化するとキーの順序や空白が変わるので、受け取った生のバイト列で"
                "HMAC を計算してください。Django なら request.body です。",
            ),
            (ASKER, "生のボディで計算したら一致しました。ありがとうございます。"),
        ),
        accepted=0,
        days_ago=28,
    ),
    DemoThread(
        space="developers",
        post_type=PostType.QUESTION,
        title="API連携で取引先マスタを同期するときの重複防止",
        body=(
            "基幹システムから取引先マスタを API で同期しています。再実行すると取引先が"
            "二重登録されることがあります。外部IDで upsert するような方法はありますか？"
        ),
        tags=("API連携",),
        days_ago=4,
    ),
    DemoThread(
        space="developers",
        post_type=PostType.ARTICLE,
        title="【Tips】API のページネーションは cursor を使うと月末でも速い",
        body=(
            "page パラメータで深いページを取ると遅くなるので、レスポンスの next_cursor を使いましょう。"
            "1万件の取得が 40 秒 → 6 秒になりました。"
        ),
        tags=("API連携", "業務効率化"),
        answers=((CUSTOMER, "cursor 版のサンプルコードを GitHub に置いてもらえると嬉しいです。"),),
        days_ago=35,
    ),
    DemoThread(
        space="developers-english",
        post_type=PostType.QUESTION,
        title="How do I filter expenses by approval date through the API?",
        body=(
            "I need every expense approved last month. The list endpoint filters by created date "
            "only. Is there a way to filter by approval date?"
        ),
        tags=("API連携",),
        answers=(
            (
                CUSTOMER,
                "Use `approved_from` and `approved_to` on /v1/expenses; they are in the reference "
                "under 'Filters' even though the quick-start does not mention them.",
            ),
        ),
        accepted=0,
        days_ago=18,
    ),
    DemoThread(
        space="executive-roundtable",
        post_type=PostType.DISCUSSION,
        title="バックオフィスのDX、投資対効果をどう説明していますか？",
        body=(
            "経費精算や請求書発行のシステム投資について、取締役会で投資対効果を説明する機会が"
            "あります。工数削減以外に、皆さんはどんな指標で説明していますか？"
        ),
        tags=("経営管理",),
        answers=(
            (CUSTOMER, "締め日の短縮日数と、監査対応の工数を指標にしています。"),
            (CUSTOMER, "人を増やさずに拠点を増やせたこと、を一番の成果として説明しました。"),
        ),
        days_ago=22,
    ),
    DemoThread(
        space="user-group",
        post_type=PostType.ANNOUNCEMENT,
        author="marketing",
        title="【期間限定】上位プランへの切り替えで初年度20%割引キャンペーン",
        body=(
            "今月末までの期間限定で、上位プランへの切り替えが初年度20%割引になります。"
            "詳しくは営業担当までお問い合わせください。"
        ),
        tags=("お知らせ",),
        held_reasons=(PROMOTION_REASON,),
        days_ago=2,
    ),
    DemoThread(
        space="developers",
        post_type=PostType.DISCUSSION,
        title="API連携の開発を代行します（無料相談受付中）",
        body=(
            "会計ソフトとの API連携の開発を代行しています。期間限定で初回の無料相談と"
            "開発費の割引を実施中です。お気軽にお問い合わせください。"
        ),
        tags=("API連携",),
        held_reasons=(PROMOTION_REASON, CONTACT_REASON),
        days_ago=1,
    ),
)

REACTION_SHARE = 0.08


@dataclass(frozen=True)
class ForumSummary:
    posts: int
    answers: int
    comments: int
    reactions: int
    activities: int


def is_forum_loaded() -> bool:
    """The welcome announcement marks a database that already holds the demo forum."""
    return Post.objects.filter(title=THREADS[0].title).exists()


class _ForumBuilder:
    def __init__(self, seed: int) -> None:
        # Offset so that the forum's choices do not mirror the community's from the same seed.
        self.rng = random.Random(seed * 7919 + 17)
        self.now = timezone.now()
        self.spaces = {s.slug: s for s in Space.objects.all()}
        self.staff = {m.staff_role: m for m in Member.objects.exclude(staff_role="").order_by("pk")}
        self.accounts = dict(MemberAccountLink.objects.values_list("member_id", "account_id"))
        self.space_members: dict[str, list[Member]] = {}
        for membership in (
            Membership.objects.filter(member__staff_role="")
            .select_related("member", "space")
            .order_by("space__slug", "member__email")
        ):
            self.space_members.setdefault(membership.space.slug, []).append(membership.member)
        self.activities: list[Activity] = []

    def _customer(self, space: str, *, other_than: Member | None = None) -> Member:
        pool = [m for m in self.space_members[space] if m != other_than]
        return self.rng.choice(pool)

    def _author(self, kind: str, space: str, asker: Member | None = None) -> Member:
        if kind == CUSTOMER:
            return self._customer(space, other_than=asker)
        if kind == ASKER and asker is not None:
            return asker
        return self.staff[kind]

    def _record(
        self, actor: Member, verb: str, target: Post | Answer | Comment, at: datetime
    ) -> None:
        post = target if isinstance(target, Post) else target.post
        self.activities.append(
            Activity(
                actor=actor,
                verb=verb,
                object_type=target._meta.model_name or "",
                object_id=target.pk,
                space_id=post.space_id,
                account_id=self.accounts.get(actor.pk),
                occurred_at=at,
                details={} if target is post else {"post_id": post.pk},
            )
        )

    def build(self) -> ForumSummary:
        rng = self.rng
        tag_names = sorted({name for thread in THREADS for name in thread.tags})
        Tag.objects.bulk_create(
            [Tag(name=n, slug=slugify(n, allow_unicode=True)) for n in tag_names],
            ignore_conflicts=True,
        )
        tags = {t.name: t for t in Tag.objects.filter(name__in=tag_names)}

        posts: list[Post] = []
        created: list[datetime] = []
        for thread in THREADS:
            author = (
                self._customer(thread.space)
                if thread.author == CUSTOMER
                else self.staff[thread.author]
            )
            at = self.now - timedelta(
                days=thread.days_ago, hours=rng.randint(0, 9), minutes=rng.randint(0, 59)
            )
            created.append(at)
            posts.append(
                Post(
                    space=self.spaces[thread.space],
                    author=author,
                    post_type=thread.post_type,
                    title=thread.title,
                    body=thread.body,
                    body_html=render_markdown(thread.body),
                    status=ContentStatus.HELD if thread.held_reasons else ContentStatus.PUBLISHED,
                    public_use_consent=thread.public_use_consent,
                    view_count=0 if thread.held_reasons else rng.randint(20, 600),
                )
            )
        Post.objects.bulk_create(posts)
        Post.tags.through.objects.bulk_create(
            Post.tags.through(post_id=post.pk, tag_id=tags[name].pk)
            for post, thread in zip(posts, THREADS, strict=True)
            for name in thread.tags
        )

        answers: list[Answer] = []
        answer_times: list[datetime] = []
        for post, thread, at in zip(posts, THREADS, created, strict=True):
            post.created_at = post.last_activity_at = at
            self._record(post.author, Verb.POSTED, post, at)
            answered_at = at
            for kind, body in thread.answers:
                answered_at = min(
                    answered_at + timedelta(minutes=rng.randint(15, 60 * 30)), self.now
                )
                answers.append(
                    Answer(
                        post=post,
                        author=self._author(kind, thread.space, post.author),
                        body=body,
                        body_html=render_markdown(body),
                    )
                )
                answer_times.append(answered_at)
        Answer.objects.bulk_create(answers)

        by_post: dict[int, list[Answer]] = {}
        for answer, at in zip(answers, answer_times, strict=True):
            answer.created_at = at
            by_post.setdefault(answer.post_id, []).append(answer)
            self._record(answer.author, Verb.ANSWERED, answer, at)
        Answer.objects.bulk_update(answers, ["created_at"])

        comments: list[Comment] = []
        for post, thread in zip(posts, THREADS, strict=True):
            for body in thread.comments:
                comment = Comment(post=post, author=self._customer(thread.space), body=body)
                comment.created_at = post.created_at + timedelta(hours=rng.randint(1, 48))
                comments.append(comment)
        times = [c.created_at for c in comments]
        Comment.objects.bulk_create(comments)
        for comment, at in zip(comments, times, strict=True):
            comment.created_at = at
            self._record(comment.author, Verb.COMMENTED, comment, at)
        Comment.objects.bulk_update(comments, ["created_at"])

        for post, thread in zip(posts, THREADS, strict=True):
            thread_answers = by_post.get(post.pk, [])
            post.answer_count = len(thread_answers)
            if thread_answers:
                post.first_answer_at = thread_answers[0].created_at
                post.last_activity_at = thread_answers[-1].created_at
            if thread.accepted is not None and post.post_type == PostType.QUESTION:
                accepted = thread_answers[thread.accepted]
                post.accepted_answer = accepted
                post.solved_at = thread_answers[-1].created_at
                post.is_peer_resolved = not accepted.author.staff_role
                self._record(post.author, Verb.ACCEPTED, accepted, post.solved_at)

        reactions = self._react(posts, THREADS, by_post)
        Post.objects.bulk_update(
            posts,
            [
                "created_at",
                "last_activity_at",
                "answer_count",
                "first_answer_at",
                "accepted_answer",
                "solved_at",
                "is_peer_resolved",
                "reaction_count",
            ],
        )
        Answer.objects.bulk_update(answers, ["reaction_count"])
        Activity.objects.bulk_create(self.activities)
        for post, thread in zip(posts, THREADS, strict=True):
            if thread.held_reasons:
                judge(
                    post,
                    RuleDecision(is_held=True, reasons=list(thread.held_reasons)),
                    edited=False,
                )
        # The services index each post as it is written; bulk-created posts are indexed here.
        for post in posts:
            index_post(post.pk)
        return ForumSummary(
            posts=len(posts),
            answers=len(answers),
            comments=len(comments),
            reactions=reactions,
            activities=len(self.activities),
        )

    def _react(
        self,
        posts: list[Post],
        threads: tuple[DemoThread, ...],
        by_post: dict[int, list[Answer]],
    ) -> int:
        """A few members of the space like each published post and its answers."""
        rows: list[Reaction] = []
        times: list[datetime] = []
        for post, thread in zip(posts, threads, strict=True):
            if thread.held_reasons:
                continue
            pool = self.space_members[thread.space]
            targets: list[Post | Answer] = [post, *by_post.get(post.pk, [])]
            for target in targets:
                count = min(len(pool), max(0, round(self.rng.gauss(len(pool) * REACTION_SHARE, 2))))
                likers = [m for m in self.rng.sample(pool, count) if m != target.author]
                target.reaction_count = len(likers)
                for member in likers:
                    at = min(target.created_at + timedelta(hours=self.rng.randint(1, 72)), self.now)
                    if isinstance(target, Answer):
                        rows.append(Reaction(member=member, post=post, answer=target))
                    else:
                        rows.append(Reaction(member=member, post=post))
                    times.append(at)
                    self._record(member, Verb.REACTED, target, at)
        Reaction.objects.bulk_create(rows)
        for reaction, at in zip(rows, times, strict=True):
            reaction.created_at = at
        Reaction.objects.bulk_update(rows, ["created_at"], batch_size=500)
        return len(rows)


def load_demo_forum(*, seed: int = 2026) -> ForumSummary | None:
    """Fill the demo spaces with threads; None if they are there already. Call inside a transaction."""
    if is_forum_loaded():
        return None
    return _ForumBuilder(seed).build()
