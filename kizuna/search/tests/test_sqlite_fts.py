"""The embedded default searches through SQLite FTS5 with the same terms (run in a subprocess)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEARCH_ON_SQLITE = """
import json, django
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from kizuna.content.models import Post
from kizuna.identity.models import Member
from kizuna.search.indexing import index_post
from kizuna.search.models import SearchDocument
from kizuna.search.selectors import search_posts, similar_questions
from kizuna.spaces.models import Space

author = Member.objects.create_user(email="author@example.org", password="x" * 12)
open_space = Space.objects.create(name="公開", slug="open", access_type="open")
private = Space.objects.create(name="非公開", slug="private", access_type="private")
def post(title, body="", space=open_space):
    created = Post.objects.create(space=space, author=author, title=title, body=body)
    index_post(created.pk)
    return created
post("請求書を発行する手順", "経理向け")
post("通知の設定画面", "")
post("How to send an invoice", "")
post("CSVのexport", "")
post("ダッシュボード", "ついでに請求書の発行にも触れます")
post("請求書の秘密", "", space=private)
anonymous = AnonymousUser()
def titles(query):
    return [hit.document.title for hit in search_posts(anonymous, query).page]
SearchDocument.objects.filter(title="通知の設定画面").delete()
call_command("reindex_search", stdout=open("/dev/null", "w"))
print(json.dumps({
    "請求書 発行": titles("請求書 発行"),
    "設定": titles("設定"),
    "設": titles("設"),
    "invoices": titles("invoices"),
    "exporting": titles("exporting"),
    "total": search_posts(anonymous, "請求書").total,
    "similar": [hit.document.title for hit in similar_questions(anonymous, "請求書の発行方法")],
}, ensure_ascii=False))
"""


def test_sqlite_fts5_finds_japanese_and_english_like_postgresql(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'search.sqlite3'}",
            "KIZUNA_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    migrated = run(["manage.py", "migrate", "--noinput"])
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    searched = run(["-c", SEARCH_ON_SQLITE])
    assert searched.returncode == 0, searched.stderr[-2000:]
    assert json.loads(searched.stdout.strip().splitlines()[-1]) == {
        "請求書 発行": ["請求書を発行する手順", "ダッシュボード"],
        "設定": ["通知の設定画面"],
        "設": ["通知の設定画面"],
        "invoices": ["How to send an invoice"],
        "exporting": ["CSVのexport"],
        "total": 2,
        "similar": ["請求書を発行する手順", "ダッシュボード"],
    }
