"""The fixed material the demo community is generated from: a vendor, its customers, people, spaces.

The vendor is fictional: 株式会社ミライソフト sells the expense and invoicing SaaS
「クラウド経費ナビ」. Which companies churn, who works where and who joins what is
drawn from a seeded random generator in `kizuna.demo.community`.
"""

from dataclasses import dataclass, field

DEMO_PASSWORD = "kizuna-demo-2026"
VENDOR_NAME = "株式会社ミライソフト"
PRODUCT_NAME = "クラウド経費ナビ"
VENDOR_DOMAIN = "mirai-soft.co.jp"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    job_role: str
    bio: str
    staff_role: str = ""
    totp_secret: str = ""
    language: str = "ja"
    time_zone: str = "Asia/Tokyo"


# Fixed base32 secrets so a person can add the demo staff to an authenticator app.
STAFF: tuple[DemoPerson, ...] = (
    DemoPerson(
        email=f"admin@{VENDOR_DOMAIN}",
        display_name="高橋 誠",
        job_role="コミュニティ運営 責任者（管理者）",
        bio="ミライソフトのコミュニティ全体の運営責任者です。困ったことがあれば気軽に声をかけてください。",
        staff_role="administrator",
        totp_secret="KIZUNADEMOADMINTOTPSECRETA234567",
    ),
    DemoPerson(
        email=f"cm@{VENDOR_DOMAIN}",
        display_name="小林 さくら",
        job_role="コミュニティマネージャー",
        bio="ユーザー会と分科会の企画・運営を担当しています。みなさんの活用事例を聞くのが大好きです。",
        staff_role="community_manager",
        totp_secret="KIZUNADEMOCMTOTPSECRETABCDE23456",
    ),
    DemoPerson(
        email=f"moderator@{VENDOR_DOMAIN}",
        display_name="中村 大輔",
        job_role="サポートチーム モデレーター",
        bio="サポート窓口とコミュニティのモデレーションを担当しています。",
        staff_role="moderator",
        totp_secret="KIZUNADEMOMODTOTPSECRETABCDE2345",
    ),
    DemoPerson(
        email=f"csm@{VENDOR_DOMAIN}",
        display_name="佐藤 美咲",
        job_role="カスタマーサクセスマネージャー",
        bio="中堅企業のお客様を担当するCSMです。導入から定着まで伴走します。",
        staff_role="csm",
        totp_secret="KIZUNADEMOCSMTOTPSECRETABC234567",
    ),
    DemoPerson(
        email=f"csm.enterprise@{VENDOR_DOMAIN}",
        display_name="木村 亮",
        job_role="エンタープライズCSM",
        bio="エンタープライズのお客様の専任CSMです。定例会と全社展開のご支援を担当しています。",
        staff_role="csm",
        totp_secret="KIZUNADEMOCSMENTTOTPSECRETABC234",
    ),
    DemoPerson(
        email=f"sales@{VENDOR_DOMAIN}",
        display_name="伊藤 健一",
        job_role="エンタープライズ営業",
        bio="エンタープライズのお客様を担当しています。",
        staff_role="sales",
        totp_secret="KIZUNADEMOSALESTOTPSECRETABC2345",
    ),
    DemoPerson(
        email=f"marketing@{VENDOR_DOMAIN}",
        display_name="渡辺 彩",
        job_role="マーケティング（イベント・事例）",
        bio="ユーザー会イベントと導入事例の制作を担当しています。",
        staff_role="marketing",
        totp_secret="KIZUNADEMOMKTTOTPSECRETABCDE2345",
    ),
    DemoPerson(
        email=f"pm@{VENDOR_DOMAIN}",
        display_name="山本 拓也",
        job_role="プロダクトマネージャー（請求書発行）",
        bio="請求書発行オプションのPMです。ご要望はアイデア広場へどうぞ。",
        staff_role="product_manager",
        totp_secret="KIZUNADEMOPMTOTPSECRETABCDEF2345",
    ),
    DemoPerson(
        email=f"ceo@{VENDOR_DOMAIN}",
        display_name="松本 直樹",
        job_role="代表取締役CEO",
        bio="ミライソフト代表です。経営者ラウンドテーブルに参加しています。",
        staff_role="executive",
        totp_secret="KIZUNADEMOCEOTOTPSECRETABCDE2345",
    ),
)

CUSTOMER_LOGIN = DemoPerson(
    email="hanako.yamada@sakura-logi.co.jp",
    display_name="山田 花子",
    job_role="経理部 マネージャー",
    bio="物流会社の経理部で経費精算と請求書処理を担当しています。電子帳簿保存法への対応を進めています。",
)
NON_CUSTOMER_LOGIN = DemoPerson(
    email="kenta.suzuki@aozora-consulting.jp",
    display_name="鈴木 健太",
    job_role="ITコンサルタント",
    bio="中小企業のバックオフィスDXを支援しています。クラウド経費ナビの導入を検討中です。",
)


@dataclass(frozen=True)
class DemoCompany:
    name: str
    domain: str
    region: str
    # How its people describe their employer in a post (「物流会社で経理をしています」).
    industry: str
    # Which everyday expenses its posts mention (kizuna.demo.corpus.SCENES).
    sector: str


# The first company is the customer demo login's employer and always stays active.
COMPANIES: tuple[DemoCompany, ...] = (
    DemoCompany("株式会社さくら物流", "sakura-logi.co.jp", "関西", "物流会社", "logistics"),
    DemoCompany(
        "株式会社青葉精機", "aoba-seiki.co.jp", "東北", "精密機器メーカー", "manufacturing"
    ),
    DemoCompany(
        "ひかり食品株式会社", "hikari-foods.co.jp", "関東", "食品メーカー", "manufacturing"
    ),
    DemoCompany("株式会社みなと建設", "minato-kensetsu.co.jp", "関東", "建設会社", "construction"),
    DemoCompany(
        "株式会社なにわテクノ", "naniwa-techno.co.jp", "関西", "電子部品メーカー", "manufacturing"
    ),
    DemoCompany(
        "博多ネットワークス株式会社", "hakata-networks.co.jp", "九州", "ITサービス企業", "it"
    ),
    DemoCompany(
        "株式会社ことぶき不動産", "kotobuki-fudosan.co.jp", "関東", "不動産会社", "services"
    ),
    DemoCompany("株式会社北斗システム", "hokuto-system.co.jp", "北海道", "システム開発会社", "it"),
    DemoCompany(
        "株式会社京都ものづくり工房",
        "kyoto-monozukuri.co.jp",
        "関西",
        "金属加工メーカー",
        "manufacturing",
    ),
    DemoCompany(
        "株式会社くまもとアグリ", "kumamoto-agri.co.jp", "九州", "農業法人", "manufacturing"
    ),
    DemoCompany(
        "株式会社ひまわり薬局", "himawari-pharmacy.co.jp", "中部", "調剤薬局チェーン", "care"
    ),
    DemoCompany("株式会社スマイル保育", "smile-hoiku.co.jp", "関東", "保育園の運営会社", "care"),
    DemoCompany("株式会社神戸マリンサービス", "kobe-marine.co.jp", "関西", "海運会社", "logistics"),
    DemoCompany(
        "株式会社名古屋オートパーツ",
        "nagoya-autoparts.co.jp",
        "中部",
        "自動車部品メーカー",
        "manufacturing",
    ),
    DemoCompany(
        "株式会社しずおか茶園", "shizuoka-chaen.co.jp", "中部", "製茶会社", "manufacturing"
    ),
    DemoCompany(
        "株式会社ふくおかデザイン", "fukuoka-design.co.jp", "九州", "デザイン事務所", "services"
    ),
    DemoCompany("株式会社いろは出版", "iroha-shuppan.co.jp", "関東", "出版社", "services"),
    DemoCompany(
        "株式会社せとうち観光", "setouchi-kanko.co.jp", "中国・四国", "旅行会社", "services"
    ),
    DemoCompany("株式会社ネクストリテール", "next-retail.co.jp", "関東", "小売チェーン", "retail"),
    DemoCompany("株式会社あさひ電機", "asahi-denki.co.jp", "関東", "電機メーカー", "manufacturing"),
    DemoCompany(
        "株式会社ひだまり介護サービス", "hidamari-kaigo.co.jp", "東北", "介護事業者", "care"
    ),
    DemoCompany(
        "株式会社グリーンエナジー九州",
        "green-energy-kyushu.co.jp",
        "九州",
        "再生可能エネルギー事業者",
        "construction",
    ),
    DemoCompany("株式会社オーシャン商事", "ocean-shoji.co.jp", "関東", "専門商社", "retail"),
    DemoCompany(
        "株式会社大阪メディカル", "osaka-medical.co.jp", "関西", "医療機器メーカー", "manufacturing"
    ),
    DemoCompany("株式会社やまびこ運輸", "yamabiko-unyu.co.jp", "中部", "運送会社", "logistics"),
    DemoCompany("株式会社テラス会計事務所", "terrace-kaikei.jp", "関東", "会計事務所", "services"),
    DemoCompany(
        "株式会社ミツバ工業", "mitsuba-kogyo.co.jp", "中部", "樹脂部品メーカー", "manufacturing"
    ),
    DemoCompany(
        "株式会社そよかぜホテルズ", "soyokaze-hotels.co.jp", "九州", "ホテルチェーン", "retail"
    ),
    DemoCompany("株式会社スカイリンク", "skylink.co.jp", "関東", "SaaS企業", "it"),
    DemoCompany("株式会社はなまる教育", "hanamaru-edu.co.jp", "関西", "学習塾の運営会社", "care"),
    DemoCompany(
        "株式会社ルミナスコスメ", "luminous-cosme.co.jp", "関東", "化粧品メーカー", "manufacturing"
    ),
    DemoCompany(
        "株式会社かがやき不動産管理", "kagayaki-kanri.co.jp", "関西", "不動産管理会社", "services"
    ),
    DemoCompany(
        "株式会社トライデント", "trident-inc.co.jp", "関東", "ITコンサルティング会社", "it"
    ),
    DemoCompany(
        "株式会社仙台フードサービス", "sendai-food.co.jp", "東北", "外食チェーン", "retail"
    ),
    DemoCompany("株式会社あおい広告", "aoi-koukoku.co.jp", "関東", "広告代理店", "services"),
    DemoCompany(
        "株式会社鹿児島ロジテック", "kagoshima-logitech.co.jp", "九州", "物流会社", "logistics"
    ),
    DemoCompany(
        "株式会社フロンティア人材", "frontier-jinzai.co.jp", "関東", "人材サービス会社", "services"
    ),
    DemoCompany("株式会社みどり造園", "midori-zouen.co.jp", "中部", "造園会社", "construction"),
    DemoCompany(
        "株式会社パシフィックトレード", "pacific-trade.co.jp", "関東", "貿易会社", "retail"
    ),
    DemoCompany(
        "株式会社つばさ航空サービス",
        "tsubasa-aero.co.jp",
        "関西",
        "航空関連サービス会社",
        "logistics",
    ),
    DemoCompany(
        "株式会社ハーモニー楽器", "harmony-gakki.co.jp", "中部", "楽器メーカー", "manufacturing"
    ),
    DemoCompany("株式会社シンセリティ", "sincerity-inc.co.jp", "関東", "人事労務SaaSの会社", "it"),
)
CHURNED_COMPANY_COUNT = 4

# People who are not customers: prospects, partners and developers (open and application spaces).
NON_CUSTOMER_COMPANIES: tuple[tuple[str, str], ...] = (
    ("株式会社あおぞらコンサルティング", "aozora-consulting.jp"),
    ("合同会社ベイサイドラボ", "bayside-lab.jp"),
    ("株式会社クラウドパートナーズ", "cloud-partners.jp"),
    ("税理士法人みらい会計", "mirai-kaikei.or.jp"),
    ("株式会社オープンデベロップ", "open-develop.jp"),
    ("フリーランス", "gmail.com"),
)

FAMILY_NAMES: tuple[tuple[str, str], ...] = (
    ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"),
    ("伊藤", "ito"), ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"),
    ("小林", "kobayashi"), ("加藤", "kato"), ("吉田", "yoshida"), ("山田", "yamada"),
    ("佐々木", "sasaki"), ("山口", "yamaguchi"), ("松本", "matsumoto"), ("井上", "inoue"),
    ("木村", "kimura"), ("林", "hayashi"), ("斎藤", "saito"), ("清水", "shimizu"),
    ("山崎", "yamazaki"), ("森", "mori"), ("池田", "ikeda"), ("橋本", "hashimoto"),
    ("阿部", "abe"), ("石川", "ishikawa"), ("山下", "yamashita"), ("中島", "nakajima"),
    ("石井", "ishii"), ("小川", "ogawa"), ("前田", "maeda"), ("岡田", "okada"),
    ("長谷川", "hasegawa"), ("藤田", "fujita"), ("後藤", "goto"), ("近藤", "kondo"),
    ("村上", "murakami"), ("遠藤", "endo"), ("青木", "aoki"), ("坂本", "sakamoto"),
    ("西村", "nishimura"), ("福田", "fukuda"), ("太田", "ota"), ("三浦", "miura"),
    ("藤井", "fujii"), ("岡本", "okamoto"), ("松田", "matsuda"), ("中川", "nakagawa"),
)  # fmt: skip

GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("翔太", "shota"), ("大輝", "daiki"), ("健太", "kenta"), ("拓海", "takumi"),
    ("直人", "naoto"), ("亮", "ryo"), ("陽介", "yosuke"), ("和也", "kazuya"),
    ("誠", "makoto"), ("悠斗", "yuto"), ("隆之", "takayuki"), ("浩二", "koji"),
    ("修", "osamu"), ("剛", "tsuyoshi"), ("慎也", "shinya"), ("雄一", "yuichi"),
    ("美咲", "misaki"), ("陽菜", "hina"), ("さくら", "sakura"), ("優子", "yuko"),
    ("恵", "megumi"), ("由美", "yumi"), ("真由美", "mayumi"), ("彩", "aya"),
    ("千尋", "chihiro"), ("奈々", "nana"), ("麻衣", "mai"), ("理恵", "rie"),
    ("香織", "kaori"), ("沙織", "saori"), ("智子", "tomoko"), ("裕子", "hiroko"),
    ("明美", "akemi"), ("瞳", "hitomi"), ("愛", "ai"), ("葵", "aoi"),
)  # fmt: skip

# Readings (ふりがな) of the name parts above and of the named demo people, so the directory
# sorts the demo in kana order as it would a real community.
NAME_READINGS: dict[str, str] = {
    "佐藤": "さとう", "鈴木": "すずき", "高橋": "たかはし", "田中": "たなか",
    "伊藤": "いとう", "渡辺": "わたなべ", "山本": "やまもと", "中村": "なかむら",
    "小林": "こばやし", "加藤": "かとう", "吉田": "よしだ", "山田": "やまだ",
    "佐々木": "ささき", "山口": "やまぐち", "松本": "まつもと", "井上": "いのうえ",
    "木村": "きむら", "林": "はやし", "斎藤": "さいとう", "清水": "しみず",
    "山崎": "やまざき", "森": "もり", "池田": "いけだ", "橋本": "はしもと",
    "阿部": "あべ", "石川": "いしかわ", "山下": "やました", "中島": "なかじま",
    "石井": "いしい", "小川": "おがわ", "前田": "まえだ", "岡田": "おかだ",
    "長谷川": "はせがわ", "藤田": "ふじた", "後藤": "ごとう", "近藤": "こんどう",
    "村上": "むらかみ", "遠藤": "えんどう", "青木": "あおき", "坂本": "さかもと",
    "西村": "にしむら", "福田": "ふくだ", "太田": "おおた", "三浦": "みうら",
    "藤井": "ふじい", "岡本": "おかもと", "松田": "まつだ", "中川": "なかがわ",
    "翔太": "しょうた", "大輝": "だいき", "健太": "けんた", "拓海": "たくみ",
    "直人": "なおと", "亮": "りょう", "陽介": "ようすけ", "和也": "かずや",
    "誠": "まこと", "悠斗": "ゆうと", "隆之": "たかゆき", "浩二": "こうじ",
    "修": "おさむ", "剛": "つよし", "慎也": "しんや", "雄一": "ゆういち",
    "美咲": "みさき", "陽菜": "ひな", "さくら": "さくら", "優子": "ゆうこ",
    "恵": "めぐみ", "由美": "ゆみ", "真由美": "まゆみ", "彩": "あや",
    "千尋": "ちひろ", "奈々": "なな", "麻衣": "まい", "理恵": "りえ",
    "香織": "かおり", "沙織": "さおり", "智子": "ともこ", "裕子": "ひろこ",
    "明美": "あけみ", "瞳": "ひとみ", "愛": "あい", "葵": "あおい",
    "大輔": "だいすけ", "健一": "けんいち", "拓也": "たくや", "直樹": "なおき",
    "花子": "はなこ",
}  # fmt: skip


def name_reading_of(display_name: str) -> str:
    """The reading of a Japanese demo name ("山田 花子" → "やまだ はなこ"); "" for other names."""
    parts = display_name.split()
    if parts and all(part in NAME_READINGS for part in parts):
        return " ".join(NAME_READINGS[part] for part in parts)
    return ""


ENGLISH_GIVEN_NAMES: tuple[str, ...] = (
    "Emily", "James", "Olivia", "Daniel", "Sophie", "Michael", "Hannah", "David",
    "Laura", "Ryan", "Grace", "Lucas", "Chloe", "Ethan", "Mia", "Noah",
)  # fmt: skip
ENGLISH_FAMILY_NAMES: tuple[str, ...] = (
    "Carter", "Wilson", "Brown", "Lee", "Martin", "Chen", "Schmidt", "Park",
    "Evans", "Taylor", "Tan", "Miller", "Nguyen", "Clarke", "Walker", "Singh",
)  # fmt: skip
ENGLISH_TIME_ZONES: tuple[str, ...] = (
    "Asia/Tokyo",
    "Asia/Singapore",
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
)

# (job role, weight, kind); kind decides which spaces a person gravitates to.
JOB_ROLES: tuple[tuple[str, int, str], ...] = (
    ("経理部 担当", 14, "finance"),
    ("経理部 マネージャー", 8, "finance"),
    ("財務経理部 部長", 4, "finance"),
    ("総務部 担当", 8, "backoffice"),
    ("人事総務部 課長", 4, "backoffice"),
    ("管理本部長", 2, "executive"),
    ("CFO（最高財務責任者）", 2, "executive"),
    ("代表取締役", 2, "executive"),
    ("経営企画部", 4, "backoffice"),
    ("情報システム部", 8, "it"),
    ("情報システム部 課長", 3, "it"),
    ("DX推進室", 5, "it"),
    ("開発部 エンジニア", 5, "developer"),
    ("コーポレートエンジニア", 3, "developer"),
    ("営業企画部", 3, "backoffice"),
)
ENGLISH_JOB_ROLES: tuple[tuple[str, str], ...] = (
    ("Finance Manager", "finance"),
    ("Software Engineer", "developer"),
    ("IT Administrator", "it"),
    ("Head of Operations", "executive"),
    ("Integration Developer", "developer"),
)
NON_CUSTOMER_ROLES: tuple[tuple[str, str], ...] = (
    ("ITコンサルタント", "it"),
    ("税理士", "finance"),
    ("システムインテグレーター", "developer"),
    ("フリーランスエンジニア", "developer"),
    ("経理アウトソーシング担当", "finance"),
    ("導入検討中（情報システム）", "it"),
)

INTERESTS: tuple[str, ...] = (
    "請求書発行",
    "経費精算",
    "電子帳簿保存法",
    "インボイス制度",
    "API連携",
    "会計ソフト連携",
    "ワークフロー承認",
    "法人カード",
    "交通費精算",
    "予算管理",
    "内部統制",
    "SSO・アカウント管理",
    "テレワーク",
    "業務効率化",
    "導入・オンボーディング",
    "Slack連携",
)
INTERESTS_BY_KIND: dict[str, tuple[str, ...]] = {
    "finance": (
        "経費精算",
        "請求書発行",
        "電子帳簿保存法",
        "インボイス制度",
        "交通費精算",
        "法人カード",
    ),
    "backoffice": ("ワークフロー承認", "業務効率化", "テレワーク", "交通費精算", "内部統制"),
    "executive": ("予算管理", "内部統制", "業務効率化", "インボイス制度"),
    "it": ("SSO・アカウント管理", "API連携", "会計ソフト連携", "導入・オンボーディング"),
    "developer": ("API連携", "Slack連携", "会計ソフト連携", "SSO・アカウント管理"),
}

BIO_TEMPLATES: tuple[str, ...] = (
    "{company}で{role}をしています。{interest}の運用を見直している最中です。よろしくお願いします。",
    "{role}として{interest}を担当しています。他社さんの工夫をぜひ参考にさせてください。",
    "{company}の{role}です。クラウド経費ナビ歴は{years}年。{interest}について情報交換したいです。",
    "{interest}の社内展開を進めています。同じ悩みを持つ方とつながれたら嬉しいです。",
    "{role}。紙とハンコの業務を減らすのが目標です。最近は{interest}に取り組んでいます。",
    "",
)
ENGLISH_BIO_TEMPLATES: tuple[str, ...] = (
    "{role} at {company}. Happy to share how we run {interest_en} across our offices.",
    "Working on {interest_en} from our overseas subsidiary. Still learning Japanese!",
    "",
)
INTEREST_ENGLISH: dict[str, str] = {
    "API連携": "API integrations",
    "Slack連携": "Slack integrations",
    "会計ソフト連携": "accounting integrations",
    "SSO・アカウント管理": "SSO and account management",
    "導入・オンボーディング": "onboarding",
    "経費精算": "expense reporting",
    "請求書発行": "invoicing",
    "予算管理": "budgeting",
    "業務効率化": "process automation",
}


@dataclass(frozen=True)
class DemoSpace:
    slug: str
    name: str
    access_type: str
    icon: str
    color: str
    description: str
    purpose: str
    rules: str
    parent: str = ""
    join_questions: tuple[str, ...] = field(default_factory=tuple)


COMMON_RULES = (
    "・お互いに敬意を持ち、建設的なコミュニケーションを心がけましょう。\n"
    "・製品の宣伝や営業目的の投稿はご遠慮ください（ミライソフト社員も含みます）。\n"
    "・社外秘の情報や個人情報は投稿しないでください。"
)

SPACES: tuple[DemoSpace, ...] = (
    DemoSpace(
        slug="user-group",
        name="クラウド経費ナビ ユーザー会（公開）",
        access_type="open",
        icon="🤝",
        color="#2f5d8a",
        description="クラウド経費ナビを使うすべての方のための公開スペースです。導入を検討中の方も歓迎します。",
        purpose="ユーザー同士が使い方のコツや活用事例を共有し、困ったときに助け合える場をつくります。",
        rules=COMMON_RULES + "\n・質問には解決したら「解決済み」を付けてください。",
    ),
    DemoSpace(
        slug="customers",
        name="お客様専用コミュニティ",
        access_type="private",
        icon="🔒",
        color="#7a3e9d",
        description="ご契約中のお客様だけが参加できるクローズドなコミュニティです。",
        purpose="ご契約企業の担当者同士で、運用ノウハウや社内展開の工夫を安心して共有するための場です。",
        rules=COMMON_RULES + "\n・ここでの内容は参加企業の外へ持ち出さないでください。",
    ),
    DemoSpace(
        slug="customers-kansai",
        name="関西ユーザー分科会",
        access_type="private",
        icon="🏯",
        color="#b5523b",
        description="大阪・京都・兵庫など関西エリアのお客様の分科会です。",
        purpose="関西エリアのお客様同士で、オフラインの勉強会や情報交換を企画します。",
        rules=COMMON_RULES,
        parent="customers",
    ),
    DemoSpace(
        slug="customers-kyushu",
        name="九州ユーザー分科会",
        access_type="private",
        icon="🌋",
        color="#c0392b",
        description="福岡・熊本・鹿児島など九州エリアのお客様の分科会です。",
        purpose="九州エリアのお客様同士が顔の見える関係をつくり、地域の事例を共有します。",
        rules=COMMON_RULES,
        parent="customers",
    ),
    DemoSpace(
        slug="customers-invoicing",
        name="製品別：請求書発行オプション分科会",
        access_type="private",
        icon="🧾",
        color="#16a085",
        description="請求書発行オプションをご利用中のお客様向けの分科会です。",
        purpose="インボイス制度への対応や請求業務の自動化について、利用企業同士で深く議論します。",
        rules=COMMON_RULES
        + "\n・機能要望はプロダクトチームに届けます。背景もあわせて書いてください。",
        parent="customers",
    ),
    DemoSpace(
        slug="executive-roundtable",
        name="経営者ラウンドテーブル（申請制）",
        access_type="application",
        icon="🪑",
        color="#34495e",
        description="経営者・管理部門責任者による少人数のディスカッションの場です。",
        purpose="バックオフィス改革や経営管理の意思決定について、立場の近い方同士で率直に話し合います。",
        rules=COMMON_RULES + "\n・発言は個人の見解として扱い、社名を伏せて引用してください。",
        join_questions=(
            "会社名と役職を教えてください。",
            "このラウンドテーブルで話し合いたいテーマは何ですか？",
        ),
    ),
    DemoSpace(
        slug="ambassadors",
        name="アンバサダープログラム（申請制）",
        access_type="application",
        icon="🌟",
        color="#d4a017",
        description="活用事例の発信やイベント登壇に協力いただけるユーザーのためのプログラムです。",
        purpose="クラウド経費ナビの活用を社外にも広げてくださるユーザーとともに、コミュニティを盛り上げます。",
        rules=COMMON_RULES + "\n・登壇や事例公開の前には必ず社内の承認を取ってください。",
        join_questions=(
            "クラウド経費ナビをどのくらいの期間ご利用ですか？",
            "これまでの社外発信（登壇・ブログなど）があれば教えてください。",
            "アンバサダーとして挑戦してみたいことは何ですか？",
        ),
    ),
    DemoSpace(
        slug="developers",
        name="開発者コミュニティ（API・連携）",
        access_type="open",
        icon="🛠",
        color="#2c3e50",
        description="API・Webhook・会計ソフト連携を扱う開発者のためのオープンなスペースです。",
        purpose="APIを使った連携の作り方、つまずきやすい点、サンプルコードを共有します。",
        rules=COMMON_RULES + "\n・APIキーやトークンは絶対に貼り付けないでください。",
    ),
    DemoSpace(
        slug="developers-english",
        name="Developers (English)",
        access_type="open",
        icon="🌏",
        color="#1f6f8b",
        description="An English-speaking sub-group for developers integrating with the API.",
        purpose="Ask and answer questions about the API and webhooks in English.",
        rules=(
            "Be kind and constructive. No product promotion. "
            "Never paste API keys or tokens. Japanese posts are welcome too."
        ),
        parent="developers",
    ),
)

REJECTION_REASONS: dict[str, str] = {
    "executive-roundtable": "現在は経営層の方に限定して募集しています。次回の募集をお待ちください。",
    "ambassadors": "今期のアンバサダーの募集枠が埋まりました。次回の募集でぜひまたご応募ください。",
}

JOIN_ANSWERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "executive-roundtable": (
        ("{company} {role}", "インボイス制度対応後の経理体制の最適化について話したいです。"),
        ("{company} {role}", "管理部門の少人数運営とDX投資の優先順位付けについて。"),
        (
            "{company} {role}",
            "内部統制とスピードを両立させる承認フローの設計について意見交換したいです。",
        ),
        ("{company} {role}", "経費データを経営判断に活かしている事例を知りたいです。"),
    ),
    "ambassadors": (
        (
            "3年ほどです。",
            "社内向けの勉強会で講師をしています。",
            "地方の利用企業向けに事例を発信したいです。",
        ),
        ("1年半です。", "note で導入記録を書いています。", "ユーザー会で登壇してみたいです。"),
        ("5年以上になります。", "特にありません。", "初めての方の質問に答える役をしたいです。"),
        (
            "2年です。",
            "業界団体のセミナーで一度話しました。",
            "電子帳簿保存法の対応事例をまとめたいです。",
        ),
    ),
}
