"""The demo's hand-written threads: the ones its story points at.

The welcome announcement, the solved questions a new member finds first, the case studies
the finished contest is about, the unanswered questions waiting in the CSM's queue and two
posts the no-promotion rule holds for review. The bulk of the forum around them is
generated (`kizuna.demo.threads`); both are written through the content services by
`kizuna.demo.forum`.
"""

from dataclasses import dataclass

from kizuna.content.models import PostType

# Who writes an answer or comment: "customer" is a member of the space who is not staff;
# "asker" is the thread's author (a thank-you is a comment, never an answer); anything else
# names a staff role.
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
    comments: tuple[tuple[str, str], ...] = ()
    public_use_consent: bool = False
    days_ago: int = 30
    # The sector (data.DemoCompany.sector) of the customer who writes it, when the text says.
    sector: str = ""


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
        days_ago=380,
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
            (
                "csm",
                "補足です。品番の列は明細項目の「カスタム列」で追加できます（最大5列）。"
                "詳しくはヘルプセンターの「帳票テンプレートの編集」をご覧ください。",
            ),
        ),
        accepted=0,
        comments=(
            (ASKER, "ありがとうございます！取引先マスタの設定を見落としていました。できました。"),
        ),
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
        ),
        accepted=0,
        comments=(
            (CUSTOMER, "独自テンプレートの差し込み項目、知りませんでした。助かります。"),
            (CUSTOMER, "税率ごとの消費税額の表示も同じ画面で設定できますよ。"),
        ),
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
        tags=("経費精算", "ワークフロー承認"),
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
        ),
        accepted=0,
        comments=((ASKER, "両方の方法を組み合わせて設定できました。ありがとうございました。"),),
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
        tags=("経費精算", "ワークフロー承認"),
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
        sector="logistics",
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
        tags=("SSO・アカウント管理",),
        answers=(
            (
                "product_manager",
                "NameID はメールアドレス（user.mail）を指定してください。部署名は追加の属性"
                "「department」として送っていただくと、プロフィールの部署に反映されます。",
            ),
        ),
        accepted=0,
        comments=((ASKER, "設定できました。ありがとうございます。"),),
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
        tags=("SSO・アカウント管理",),
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
        tags=("経費精算", "導入・オンボーディング"),
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
        ),
        accepted=0,
        comments=((ASKER, "updated_since で差分取得にしたら429が出なくなりました！"),),
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
        ),
        accepted=0,
        comments=((ASKER, "生のボディで計算したら一致しました。ありがとうございます。"),),
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
        tags=("予算管理",),
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
        days_ago=1,
    ),
)
