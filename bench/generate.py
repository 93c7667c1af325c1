"""Build the benchmark database: members, spaces, posts, answers and activity at scale.

    python bench/generate.py                       # 100k members, 1M posts, 5M activity rows
    python bench/generate.py --members 10000 --posts 100000 --activities 500000

The database (default `kizuna_bench` on the server of DATABASE_URL) is dropped, created
and migrated, then filled with PostgreSQL COPY. Secondary indexes are dropped before the
load and rebuilt after it, and foreign-key triggers are off for the loading session
(session_replication_role = replica), as a bulk restore would do. Rows are deterministic
from --seed. Post 1 is a question with 50 answers for the thread-page benchmark; member 1
is a CSM who signs in for the unanswered-queue benchmark.

The points ledger (--ledger-entries, 5M by default) spans the last two years and is skewed
towards a few very active members; member 2, the most active, belongs to the private space
and signs in for the recognition pages. Balances are summed as the entries are written and
checked against the ledger in SQL; one member in fifty hides from the leaderboards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_NAME = "kizuna_bench"
MAIN_SPACE_SLUG = "bench-community"
CSM_EMAIL = "csm@bench.kizuna.example"
BENCH_PASSWORD = "bench-password-2026"
BIG_THREAD_ANSWERS = 50

TOPICS = (
    "請求書発行",
    "経費精算",
    "電子帳簿保存法",
    "API連携",
    "SSO設定",
    "承認フロー",
    "インボイス制度",
    "会計ソフト連携",
    "交通費精算",
    "入金消込",
    "Webhook",
    "CSV取り込み",
)
QUESTION_PATTERNS = (
    "{topic}の手順を教えてください",
    "{topic}でエラーが出ます",
    "{topic}の設定について質問です",
    "{topic}を部署ごとに分けたい",
    "{topic}の運用で困っています",
    "{topic}を自動化する方法はありますか？",
)
OTHER_PATTERNS = (
    "【Tips】{topic}を効率化するコツ",
    "【事例】{topic}の見直しで月末の作業を半分に",
    "{topic}について皆さんの工夫を教えてください",
    "【お知らせ】{topic}の機能改善について",
)
BODY_SENTENCES = (
    "請求書を発行する手順について質問です。",
    "月末に経費精算の申請が集中して、承認が遅れてしまいます。",
    "電子帳簿保存法の検索要件を満たす運用にしたいと考えています。",
    "API連携で会計ソフトに仕訳を送っています。",
    "SSO設定を変更したあと、一部のユーザーがログインできなくなりました。",
    "取引先ごとに請求書の書式を変えたいです。",
    "同じような運用をされている方がいれば教えてください。",
    "ヘルプセンターの記事も読みましたが、解決しませんでした。",
    "We are integrating the expense API with our ERP and see timeouts.",
    "社内の規程も合わせて見直す必要がありそうです。",
)
ANSWER_SENTENCES = (
    "設定画面の「帳票テンプレート」から変更できます。",
    "弊社では承認ルートを部署ごとに分けて解決しました。",
    "updated_since パラメータで差分だけ取得すると速くなります。",
    "タイムスタンプの付与を確認してから原本を破棄する運用にしています。",
    "サポートに問い合わせたところ、次のリリースで改善されるそうです。",
    "同じ現象がありました。キャッシュを消したら直りました。",
)
FAMILY_NAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
GIVEN_NAMES = ("翔太", "美咲", "大輔", "陽子", "健一", "結衣", "拓也", "真由美", "蓮", "葵")
TAGS = (*TOPICS, "事例", "Tips", "お知らせ", "初心者", "管理者", "モバイル", "イベント")
SPACES = (
    (MAIN_SPACE_SLUG, "ベンチマーク ユーザー会", "open", 40),
    ("bench-customers", "ベンチマーク お客様専用", "private", 20),
    *((f"bench-topic-{i}", f"ベンチマーク 分科会 {i}", "open", 5) for i in range(1, 9)),
)

# Share of each verb in the activity stream, roughly what a busy community writes.
VERBS = (
    ("viewed", 50),
    ("reacted", 15),
    ("logged_in", 10),
    ("answered", 8),
    ("posted", 6),
    ("commented", 6),
    ("accepted", 2),
    ("joined", 2),
    ("flagged", 1),
)


# Recognition: awards by rule, roughly what a Q&A community earns (likes and answers lead).
# Each member's first entry is their sign-up award.
AWARD_RULES = (
    ("answered", 35),
    ("like_received", 35),
    ("asked_question", 15),
    ("answer_accepted", 6),
    ("accepted_an_answer", 6),
    ("event_attended", 2),
    ("case_study_published", 1),
)
LEDGER_DAYS = 730
# Member 2 earns the most points and belongs to the private space (see Generator.membership_rows).
MOST_ACTIVE_MEMBER = 2
PRIVATE_SPACE_SLUG = "bench-customers"
# How concentrated earning is: member of rank r (0 = most active) is drawn with weight
# 1 / (r + SKEW_OFFSET), so the top 100 write about a fifth of the entries and the median
# member about a dozen.
SKEW_OFFSET = 20
REWARD_PRICES = (100, 300, 500, 1000, 3000)
OPTED_OUT_EVERY = 50


def bench_database_url(database_url: str | None, name: str) -> str:
    """The URL of the benchmark database: the server of DATABASE_URL with another database name."""
    base = database_url or os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/"
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def setup_django(database_url: str) -> None:
    """Point Django at the benchmark database; call before any Django import that needs settings."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")


def database_exists(database_url: str) -> bool:
    parts = urlsplit(database_url)
    maintenance = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (parts.path.lstrip("/"),)
        ).fetchone()
    return row is not None


class Loader:
    """COPY rows into a model's table, filling the columns not given with the field defaults."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self.timings: list[tuple[str, int, float]] = []

    def copy(self, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        fields = [f for f in model._meta.concrete_fields if f.column not in columns]
        fields = [f for f in fields if not f.primary_key]
        defaults = tuple(self._default(f) for f in fields)
        all_columns = [*columns, *(f.column for f in fields)]
        table = model._meta.db_table
        started = time.monotonic()
        count = 0
        column_list = ", ".join(f'"{c}"' for c in all_columns)
        with (
            self.conn.cursor() as cursor,
            cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row((*row, *defaults))
                count += 1
        self.timings.append((table, count, time.monotonic() - started))
        print(f"  {table}: {count:,} rows in {time.monotonic() - started:.1f} s", flush=True)
        return count

    @staticmethod
    def _default(field: Any) -> Any:
        value = field.get_default()
        if isinstance(value, dict | list):
            return json.dumps(value)
        if value is None and not field.null:
            return ""
        return value


def _secondary_indexes(
    conn: psycopg.Connection[Any], tables: Sequence[str]
) -> list[tuple[str, str]]:
    """Indexes that back no constraint: safe to drop before a bulk load and rebuild after it."""
    rows = conn.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
          )
        """,
        (list(tables),),
    ).fetchall()
    return [(name, definition) for name, definition in rows]


def _finish_load(
    conn: psycopg.Connection[Any], indexes: Sequence[tuple[str, str]], models: Sequence[Any]
) -> None:
    """Turn the triggers back on, rebuild the dropped indexes and move the id sequences."""
    conn.execute("SET session_replication_role = origin")
    started = time.monotonic()
    conn.execute("SET maintenance_work_mem = '512MB'")
    for _name, definition in indexes:
        conn.execute(definition)
    print(f"  {len(indexes)} indexes rebuilt in {time.monotonic() - started:.1f} s", flush=True)
    # Rows were copied with explicit ids, so the identity sequences start after them.
    for model in models:
        if model._meta.pk is None or model._meta.pk.get_internal_type() not in (
            "AutoField",
            "BigAutoField",
        ):
            continue
        table, column = model._meta.db_table, model._meta.pk.column
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'(SELECT COALESCE(MAX("{column}"), 1) FROM "{table}"))'
        )


class Generator:
    def __init__(self, *, members: int, posts: int, activities: int, seed: int) -> None:
        self.members = max(members, 10)
        self.posts = max(posts, 1)
        self.activities = activities
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.start = self.now - timedelta(days=3 * 365)
        self.accounts = max(1, self.members // 50)
        self.answer_count = 0
        self.space_ids: list[int] = []
        self.space_weights: list[int] = []

    def _time(self, index: int, total: int) -> datetime:
        """Rows are appended in time order, as the application writes them."""
        span = (self.now - self.start).total_seconds()
        return self.start + timedelta(seconds=span * index / max(total, 1))

    def account_of(self, member_id: int) -> int | None:
        # Member 1 is staff; one in seven members belongs to no customer account.
        if member_id == 1 or member_id % 7 == 0:
            return None
        return member_id % self.accounts + 1

    def run(self, conn: psycopg.Connection[Any]) -> None:
        from django.contrib.auth.hashers import make_password

        from kizuna.activity.models import Activity
        from kizuna.content.models import Answer, Post, Tag
        from kizuna.customers.models import AccountDomain, CustomerAccount, MemberAccountLink
        from kizuna.identity.models import Member
        from kizuna.search.models import SearchDocument
        from kizuna.spaces.models import Membership, Space

        loader = Loader(conn)
        post_tags = Post.tags.through
        models = (
            Member,
            CustomerAccount,
            AccountDomain,
            MemberAccountLink,
            Space,
            Membership,
            Tag,
            Post,
            post_tags,
            Answer,
            SearchDocument,
            Activity,
        )
        tables = [m._meta.db_table for m in models]
        indexes = _secondary_indexes(conn, tables)
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("SET session_replication_role = replica")
        now = self.now

        loader.copy(
            CustomerAccount,
            ["id", "name", "status", "created_at", "updated_at"],
            (
                (i, f"ベンチ商事{i}株式会社", "active" if i % 10 else "churned", now, now)
                for i in range(1, self.accounts + 1)
            ),
        )
        loader.copy(
            AccountDomain,
            ["id", "account_id", "domain"],
            ((i, i, f"bench{i}.example.jp") for i in range(1, self.accounts + 1)),
        )
        password = make_password(BENCH_PASSWORD)

        def member_rows() -> Iterator[tuple[Any, ...]]:
            yield (1, CSM_EMAIL, password, "ベンチ CSM", "csm", self.start)
            for i in range(2, self.members + 1):
                account = self.account_of(i)
                domain = f"bench{account}.example.jp" if account else "gmail.example.com"
                name = f"{FAMILY_NAMES[i % 10]} {GIVEN_NAMES[(i // 10) % 10]}"
                yield (i, f"member{i}@{domain}", password, name, "", self._time(i, self.members))

        loader.copy(
            Member,
            ["id", "email", "password", "display_name", "staff_role", "date_joined"],
            member_rows(),
        )
        loader.copy(
            MemberAccountLink,
            ["id", "member_id", "account_id", "source", "linked_at"],
            (
                (i, i, account, "email_domain", now)
                for i in range(2, self.members + 1)
                if (account := self.account_of(i)) is not None
            ),
        )
        loader.copy(
            Space,
            ["id", "name", "slug", "purpose", "rules", "access_type", "created_at"],
            (
                (
                    n,
                    name,
                    slug,
                    "ベンチマーク用のスペースです。",
                    "宣伝はご遠慮ください。",
                    access,
                    self.start,
                )
                for n, (slug, name, access, _weight) in enumerate(SPACES, start=1)
            ),
        )
        self.space_ids = list(range(1, len(SPACES) + 1))
        self.space_weights = [weight for *_rest, weight in SPACES]

        def membership_rows() -> Iterator[tuple[Any, ...]]:
            n = 0
            for member in range(1, self.members + 1):
                for space in self.space_ids:
                    if space == 1 or member == 1 or (member + space) % 4 == 0:
                        n += 1
                        role = "host" if member == 1 else "member"
                        yield (n, space, member, role, "joined", self._time(member, self.members))

        loader.copy(
            Membership,
            ["id", "space_id", "member_id", "role", "via", "joined_at"],
            membership_rows(),
        )
        loader.copy(
            Tag,
            ["id", "name", "slug"],
            ((i, name, f"tag-{i}") for i, name in enumerate(TAGS, start=1)),
        )
        plans = self._plan_posts()
        loader.copy(
            Post,
            [
                "id",
                "space_id",
                "author_id",
                "post_type",
                "title",
                "body",
                "body_html",
                "status",
                "accepted_answer_id",
                "solved_at",
                "is_peer_resolved",
                "first_answer_at",
                "answer_count",
                "reaction_count",
                "view_count",
                "created_at",
                "last_activity_at",
            ],
            (plan[:17] for plan in plans),
        )
        loader.copy(
            post_tags,
            ["post_id", "tag_id"],
            self._post_tag_rows(),
        )
        loader.copy(
            Answer,
            ["id", "post_id", "author_id", "body", "body_html", "reaction_count", "created_at"],
            self._answer_rows(plans),
        )
        vectors = self._search_vectors(conn, plans)
        loader.copy(
            SearchDocument,
            [
                "post_id",
                "space_id",
                "author_id",
                "post_type",
                "status",
                "is_solved",
                "created_at",
                "last_activity_at",
                "title",
                "body_text",
                "search_vector",
                "indexed_at",
            ],
            (
                (
                    p[0],
                    p[1],
                    p[2],
                    p[3],
                    p[7],
                    p[8] is not None,
                    p[15],
                    p[16],
                    p[4],
                    p[5],
                    vectors[p[4], p[5]],
                    now,
                )
                for p in plans
            ),
        )
        del plans, vectors
        loader.copy(
            Activity,
            [
                "actor_id",
                "verb",
                "object_type",
                "object_id",
                "space_id",
                "account_id",
                "occurred_at",
            ],
            self._activity_rows(),
        )
        _finish_load(conn, indexes, models)

    def _plan_posts(self) -> list[tuple[Any, ...]]:
        """Each post with the ids and times of its answers worked out up front.

        A plan row holds the post's columns, then (first answer id, answer times) at the end.
        """
        rng = self.rng
        plans: list[tuple[Any, ...]] = []
        next_answer = 1
        types = ("question",) * 13 + ("discussion",) * 3 + ("article", "case_study", "announcement")
        for post_id in range(1, self.posts + 1):
            created = self._time(post_id, self.posts)
            if post_id == 1:
                space, post_type, answers, status = 1, "question", BIG_THREAD_ANSWERS, "published"
                title = "【ベンチ】回答が50件ある質問：請求書発行の設定を取引先ごとに変えたい"
            else:
                space = rng.choices(self.space_ids, weights=self.space_weights)[0]
                post_type = rng.choice(types)
                topic = rng.choice(TOPICS)
                patterns = QUESTION_PATTERNS if post_type == "question" else OTHER_PATTERNS
                title = rng.choice(patterns).format(topic=topic)
                roll = rng.random()
                status = "held" if roll < 0.005 else ("hidden" if roll < 0.01 else "published")
                if post_type == "question":
                    answers = 0 if rng.random() < 0.25 else rng.randint(1, 4)
                else:
                    answers = rng.randint(0, 3)
            author = rng.randint(2, self.members)
            body = "".join(rng.sample(BODY_SENTENCES, 3))
            times: list[datetime] = []
            at = created
            for _ in range(answers):
                at = min(at + timedelta(minutes=rng.randint(5, 600)), self.now)
                times.append(at)
            first_answer = next_answer if answers else None
            next_answer += answers
            solved = post_type == "question" and answers > 0 and rng.random() < 0.6
            plans.append(
                (
                    post_id,
                    space,
                    author,
                    post_type,
                    title,
                    body,
                    f"<p>{body}</p>",
                    status,
                    first_answer if solved else None,
                    times[-1] if solved else None,
                    solved,
                    times[0] if times else None,
                    answers,
                    rng.randint(0, 20),
                    rng.randint(0, 2000),
                    created,
                    times[-1] if times else created,
                    first_answer,
                    times,
                )
            )
        self.answer_count = next_answer - 1
        return plans

    def _search_vectors(
        self, conn: psycopg.Connection[Any], plans: list[tuple[Any, ...]]
    ) -> dict[tuple[str, str], str]:
        """The search app's tsvector for each distinct (title, body), as index_post builds it.

        Titles and bodies repeat (they are drawn from short lists), so each pair is analysed
        once; answers are left out of the benchmark's documents.
        """
        from kizuna.search.indexing import tsvector_literal
        from kizuna.search.tokenize import TextTerms, analyze

        started = time.monotonic()
        analyzed: dict[str, TextTerms] = {}

        def terms(text: str) -> TextTerms:
            if text not in analyzed:
                analyzed[text] = analyze(text)
            return analyzed[text]

        empty = analyze("")
        pairs = sorted({(plan[4], plan[5]) for plan in plans})
        vectors: dict[tuple[str, str], str] = {}
        chunk = 2000
        for offset in range(0, len(pairs), chunk):
            part = pairs[offset : offset + chunk]
            literals = [
                tsvector_literal([(terms(t), "A"), (terms(b), "B"), (empty, "C")]) for t, b in part
            ]
            rows = conn.execute(
                "SELECT x.i, (x.v::tsvector"
                " || setweight(to_tsvector('english', x.a), 'A')"
                " || setweight(to_tsvector('english', x.b), 'B'))::text"
                " FROM unnest(%s::text[], %s::text[], %s::text[]) WITH ORDINALITY AS x(v, a, b, i)",
                (
                    literals,
                    [" ".join(terms(t).latin) for t, _b in part],
                    [" ".join(terms(b).latin) for _t, b in part],
                ),
            ).fetchall()
            for index, vector in rows:
                vectors[part[index - 1]] = vector
        print(
            f"  {len(pairs):,} distinct search vectors in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        return vectors

    def _post_tag_rows(self) -> Iterator[tuple[int, int]]:
        rng = self.rng
        for post_id in range(1, self.posts + 1):
            first = rng.randint(1, len(TAGS))
            yield (post_id, first)
            if rng.random() < 0.3:
                second = first % len(TAGS) + 1
                yield (post_id, second)

    def _answer_rows(self, plans: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        for plan in plans:
            post_id, first_answer, times = plan[0], plan[17], plan[18]
            for offset, at in enumerate(times):
                body = "".join(rng.sample(ANSWER_SENTENCES, 2))
                yield (
                    first_answer + offset,
                    post_id,
                    rng.randint(2, self.members),
                    body,
                    f"<p>{body}</p>",
                    rng.randint(0, 10),
                    at,
                )

    def _activity_rows(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        verbs = [v for v, _w in VERBS]
        weights = [w for _v, w in VERBS]
        batch = 10_000
        max_answer = max(self.answer_count, 1)
        for start in range(0, self.activities, batch):
            size = min(batch, self.activities - start)
            chosen = rng.choices(verbs, weights=weights, k=size)
            spaces = rng.choices(self.space_ids, weights=self.space_weights, k=size)
            for k in range(size):
                verb = chosen[k]
                actor = rng.randint(1, self.members)
                if verb in ("answered", "accepted"):
                    object_type, object_id = "answer", rng.randint(1, max_answer)
                elif verb in ("logged_in",):
                    object_type, object_id = "", None
                elif verb == "joined":
                    object_type, object_id = "space", spaces[k]
                else:
                    object_type, object_id = "post", rng.randint(1, self.posts)
                yield (
                    actor,
                    verb,
                    object_type,
                    object_id,
                    None if verb == "logged_in" else spaces[k],
                    self.account_of(actor),
                    self._time(start + k, self.activities),
                )


class LedgerGenerator:
    """The points ledger of a busy community, with the balances it implies.

    Entries are appended in time order over LEDGER_DAYS, as the services write them:
    awards (with the space of their content), reversals of a member's latest award,
    spends that never overdraw, refunds of a member's latest spend and staff
    adjustments. Balances are summed while the rows are written, then checked in SQL.
    """

    def __init__(self, *, members: int, entries: int, seed: int, now: datetime) -> None:
        self.members = members
        self.entries = entries
        self.rng = random.Random(seed + 1)
        self.now = now
        self.start = now - timedelta(days=LEDGER_DAYS)
        self.space_ids = list(range(1, len(SPACES) + 1))
        self.space_weights = [weight for *_rest, weight in SPACES]
        self.balance = [0] * (members + 1)
        self.lifetime = [0] * (members + 1)
        self.written = 0

    def run(self, conn: psycopg.Connection[Any]) -> None:
        from django.conf import settings

        from kizuna.gamification.models import (
            LeaderboardTally,
            LeaderboardTotal,
            LedgerEntry,
            MemberBalance,
            MemberRecognitionSettings,
        )
        from kizuna.gamification.tallies import ALL_TIME, TALLIED_KINDS

        models = (
            LedgerEntry,
            MemberBalance,
            MemberRecognitionSettings,
            LeaderboardTally,
            LeaderboardTotal,
        )
        indexes = _secondary_indexes(conn, [m._meta.db_table for m in models])
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("SET session_replication_role = replica")
        rules = {
            key: (rule_id, points)
            for key, rule_id, points in conn.execute(
                "SELECT key, id, points FROM gamification_pointrule"
            ).fetchall()
        }
        loader = Loader(conn)
        self.written = loader.copy(
            LedgerEntry,
            [
                "id",
                "member_id",
                "amount",
                "rule_id",
                "kind",
                "source_type",
                "source_id",
                "activity_id",
                "counterparty_id",
                "space_id",
                "idempotency_key",
                "reverses_id",
                "reason",
                "created_at",
            ],
            self._entry_rows(rules),
        )
        loader.copy(
            MemberBalance,
            ["id", "member_id", "balance", "lifetime_points"],
            (
                (n, member, self.balance[member], self.lifetime[member])
                for n, member in enumerate(
                    (m for m in range(1, self.members + 1) if self.balance[m] or self.lifetime[m]),
                    start=1,
                )
            ),
        )
        loader.copy(
            MemberRecognitionSettings,
            ["id", "member_id", "show_on_leaderboards"],
            (
                (n, member, False)
                for n, member in enumerate(
                    range(OPTED_OUT_EVERY, self.members + 1, OPTED_OUT_EVERY), start=1
                )
            ),
        )
        started = time.monotonic()
        # What services.add_to_tallies would have written entry by entry, summed in one go.
        # The application creates a month's rows during that month, so rows are written in
        # period order: a month's tallies share heap pages, as they would in production.
        tallied = conn.execute(
            """
            INSERT INTO gamification_leaderboardtally (member_id, space_id, period, points)
            SELECT member_id, space_id, period, points FROM (
              SELECT member_id, space_id, %(all_time)s AS period, sum(amount) AS points
              FROM gamification_ledgerentry WHERE kind = ANY(%(kinds)s)
              GROUP BY member_id, space_id
              UNION ALL
              SELECT member_id, space_id,
                     to_char(created_at AT TIME ZONE %(zone)s, 'YYYY-MM'), sum(amount)
              FROM gamification_ledgerentry WHERE kind = ANY(%(kinds)s)
              GROUP BY 1, 2, 3
            ) AS tallies
            ORDER BY period = %(all_time)s DESC, period, member_id
            """,
            {
                "all_time": ALL_TIME,
                "kinds": [str(kind) for kind in TALLIED_KINDS],
                "zone": settings.TIME_ZONE,
            },
        ).rowcount
        print(
            f"  gamification_leaderboardtally: {tallied:,} rows in "
            f"{time.monotonic() - started:.1f} s",
            flush=True,
        )
        # The community board walks members by these per-period sums of the tallies.
        conn.execute(
            """
            INSERT INTO gamification_leaderboardtotal (member_id, period, points, ceiling)
            SELECT member_id, period, sum(points), sum(greatest(points, 0))
            FROM gamification_leaderboardtally GROUP BY member_id, period
            """
        )
        _finish_load(conn, indexes, models)
        row = conn.execute(
            """
            SELECT count(*) FROM gamification_memberbalance b
            FULL JOIN (
              SELECT member_id, sum(amount) AS total,
                     sum(amount) FILTER (WHERE kind IN ('award', 'reversal', 'adjustment')) AS earned
              FROM gamification_ledgerentry GROUP BY member_id
            ) e USING (member_id)
            WHERE coalesce(b.balance, 0) <> coalesce(e.total, 0)
               OR coalesce(b.lifetime_points, 0) <> coalesce(e.earned, 0)
            """
        ).fetchone()
        if row is None or row[0]:
            raise SystemExit(f"{row[0] if row else '?'} balances differ from their ledger sums")
        print("  every balance equals the sum of its ledger entries", flush=True)

    def _entry_rows(self, rules: dict[str, tuple[int, int]]) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        ranks = self.members - 1  # member 1 is the CSM, who earns nothing
        weights = list(accumulate(1 / (rank + SKEW_OFFSET) for rank in range(ranks)))
        rule_keys = [key for key, _w in AWARD_RULES if key in rules]
        rule_weights = [w for key, w in AWARD_RULES if key in rules]
        signed_up = rules.get("signed_up")
        joined = bytearray(self.members + 1)
        latest_award: list[tuple[Any, ...] | None] = [None] * (self.members + 1)
        latest_spend: list[tuple[int, int, str] | None] = [None] * (self.members + 1)
        span = (self.now - self.start).total_seconds()
        batch = 10_000
        for first in range(0, self.entries, batch):
            size = min(batch, self.entries - first)
            picks = rng.choices(range(ranks), cum_weights=weights, k=size)
            kinds = rng.choices(rule_keys, weights=rule_weights, k=size)
            spaces = rng.choices(self.space_ids, weights=self.space_weights, k=size)
            for k in range(size):
                entry_id = first + k + 1
                member = picks[k] + MOST_ACTIVE_MEMBER
                at = self.start + timedelta(seconds=span * entry_id / self.entries)
                roll = rng.random()
                row: tuple[Any, ...]
                if not joined[member] and signed_up is not None:
                    joined[member] = 1
                    rule_id, points = signed_up
                    key = f"signed_up:{member}"
                    row = (entry_id, member, points, rule_id, "award", "identity.member", member)
                    row += (None, None, None, key, None, "", at)
                elif roll < 0.015 and (award := latest_award[member]) is not None:
                    latest_award[member] = None
                    (
                        award_id,
                        amount,
                        rule_id,
                        source_type,
                        source_id,
                        activity,
                        other,
                        space,
                        key,
                    ) = award
                    row = (entry_id, member, -amount, rule_id, "reversal", source_type, source_id)
                    row += (
                        activity,
                        other,
                        space,
                        f"reversal:{key}",
                        award_id,
                        "source removed",
                        at,
                    )
                elif roll < 0.025 and self.balance[member] >= (price := rng.choice(REWARD_PRICES)):
                    key = f"redemption:{entry_id}"
                    latest_spend[member] = (entry_id, price, key)
                    row = (entry_id, member, -price, None, "spend", "rewards.redemption", entry_id)
                    row += (None, None, None, key, None, "特典の交換", at)
                elif roll < 0.0255 and (spend := latest_spend[member]) is not None:
                    latest_spend[member] = None
                    spend_id, price, spend_key = spend
                    row = (entry_id, member, price, None, "refund", "rewards.redemption", spend_id)
                    row += (None, None, None, f"refund:{spend_key}", spend_id, "申請の却下", at)
                elif roll < 0.0265:
                    amount = rng.choice((10, 20, 50))
                    row = (entry_id, member, amount, None, "adjustment", "", None)
                    row += (None, None, None, f"adjustment:{entry_id}", None, "イベント運営", at)
                else:
                    key_name = kinds[k]
                    rule_id, amount = rules[key_name]
                    source_type = "content.post" if "question" in key_name else "content.answer"
                    other = rng.randint(2, self.members) if key_name == "like_received" else None
                    key = f"activity:{entry_id}:{key_name}:{member}"
                    latest_award[member] = (
                        entry_id,
                        amount,
                        rule_id,
                        source_type,
                        entry_id,
                        entry_id,
                        other,
                        spaces[k],
                        key,
                    )
                    row = (entry_id, member, amount, rule_id, "award", source_type, entry_id)
                    row += (entry_id, other, spaces[k], key, None, "", at)
                amount = row[2]
                self.balance[member] += amount
                if row[4] in ("award", "reversal", "adjustment"):
                    self.lifetime[member] += amount
                yield row


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    add_size_arguments(parser)
    return parser.parse_args(argv)


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--members", type=int, default=100_000, help="members (default 100000)")
    parser.add_argument("--posts", type=int, default=1_000_000, help="posts (default 1000000)")
    parser.add_argument(
        "--activities", type=int, default=5_000_000, help="activity rows (default 5000000)"
    )
    parser.add_argument(
        "--ledger-entries",
        type=int,
        default=5_000_000,
        help="points ledger entries (default 5000000)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=None, help="server to use (default DATABASE_URL)")
    parser.add_argument("--database-name", default=DEFAULT_DATABASE_NAME)


def generate(options: argparse.Namespace, log: Callable[[str], None] = print) -> str:
    """Drop, create, migrate and fill the benchmark database; returns its URL."""
    url = bench_database_url(options.database_url, options.database_name)
    started = time.monotonic()
    log(f"Recreating {urlsplit(url).path.lstrip('/')} and migrating it …")
    recreate_database(url)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    log(f"  migrated in {time.monotonic() - started:.1f} s")
    generator = Generator(
        members=options.members,
        posts=options.posts,
        activities=options.activities,
        seed=options.seed,
    )
    ledger = LedgerGenerator(
        members=generator.members,
        entries=options.ledger_entries,
        seed=options.seed,
        now=generator.now,
    )
    load_started = time.monotonic()
    with psycopg.connect(url) as conn:
        generator.run(conn)
        ledger.run(conn)
        conn.commit()
    _vacuum_analyze(url, log)
    log(
        f"Generated {generator.members:,} members, {generator.posts:,} posts, "
        f"{generator.answer_count:,} answers, {generator.activities:,} activity rows, "
        f"{ledger.written:,} ledger entries: load {time.monotonic() - load_started:.1f} s, "
        f"total {time.monotonic() - started:.1f} s"
    )
    return url


def ensure_recognition(options: argparse.Namespace, log: Callable[[str], None] = print) -> None:
    """Migrate a benchmark database built before the points ledger and fill its ledger.

    Django must already point at the database (setup_django); a database whose ledger
    has entries is left as it is.
    """
    from django.core.management import call_command

    url = bench_database_url(options.database_url, options.database_name)
    call_command("migrate", verbosity=0, interactive=False)
    with psycopg.connect(url) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM gamification_ledgerentry),"
            " (SELECT coalesce(max(id), 0) FROM identity_member)"
        ).fetchone()
        if counts is None or counts[0]:
            return
        started = time.monotonic()
        log(f"Adding {options.ledger_entries:,} ledger entries to the benchmark database …")
        ledger = LedgerGenerator(
            members=int(counts[1]),
            entries=options.ledger_entries,
            seed=options.seed,
            now=datetime.now(UTC).replace(microsecond=0),
        )
        ledger.run(conn)
        conn.commit()
    _vacuum_analyze(url, log)
    log(f"  ledger generated in {time.monotonic() - started:.1f} s")


def _vacuum_analyze(url: str, log: Callable[[str], None]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.monotonic()
        conn.execute("VACUUM ANALYZE")
        log(f"  VACUUM ANALYZE in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    generate(parse_args())
