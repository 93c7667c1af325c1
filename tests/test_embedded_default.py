"""The smoke suite for the embedded default: what `make run` gives a person on a bare machine.

It runs in a fresh interpreter with no DATABASE_URL or REDIS_URL, so the app uses SQLite
under a private var/ folder, exactly as `make run` does. The folder is a copy of one migrated
with the demo loaded once for the whole run (`embedded_demo_var` in tests/conftest.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VISIT_AS_DEMO_PEOPLE = """
import json, django
django.setup()
from django.test import Client
from kizuna.demo.data import CUSTOMER_LOGIN, NON_CUSTOMER_LOGIN
from kizuna.identity.models import Member
from kizuna.spaces.models import Space

private = Space.objects.filter(access_type="private", parent__isnull=True).first()
results = {}
anonymous = Client()
pages = {"home": "/", "directory": "/spaces/", "private space": f"/spaces/{private.slug}/",
         "login": "/accounts/login/", "signup": "/accounts/signup/"}
for label, path in pages.items():
    results["anonymous " + label] = anonymous.get(path).status_code
for label, person in [("customer", CUSTOMER_LOGIN), ("non_customer", NON_CUSTOMER_LOGIN)]:
    client = Client()
    assert client.login(email=person.email, password="kizuna-demo-2026"), person.email
    response = client.get(f"/spaces/{private.slug}/")
    results[label + " private space"] = response.status_code
    results[label + " sees description"] = private.description[:20] in response.content.decode()
customer = Client()
customer.login(email=CUSTOMER_LOGIN.email, password="kizuna-demo-2026")
member_pk = Member.objects.get(email=CUSTOMER_LOGIN.email).pk
signed_in_pages = ["/members/", f"/members/{member_pk}/", f"/members/{member_pk}/contributions/",
                   "/recognition/me/", "/recognition/leaderboard/", "/rewards/", "/badges/",
                   "/contests/", "/notifications/"]
results["member pk"] = member_pk
results["customer pages"] = {path: customer.get(path).status_code for path in signed_in_pages}
print(json.dumps(results))
"""


def run_manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_embedded_default_serves_the_demo_on_sqlite(embedded_demo_copy: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "KIZUNA_PROFILE"}
    }
    env.update(
        {"KIZUNA_VAR_DIR": str(embedded_demo_copy), "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    # The copy was migrated and the demo loaded once (the fixture); `make run` loads it again.
    completed = run_manage(["manage.py", "load_demo"], env)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "already loaded" in completed.stdout
    assert (embedded_demo_copy / "kizuna.sqlite3").exists()
    visit = run_manage(["-c", VISIT_AS_DEMO_PEOPLE], env)
    assert visit.returncode == 0, visit.stderr[-2000:]
    results = json.loads(visit.stdout.strip().splitlines()[-1])
    member_pk = results["member pk"]
    assert results == {
        "anonymous home": 200,
        "anonymous directory": 200,
        "anonymous private space": 403,
        "anonymous login": 200,
        "anonymous signup": 200,
        "customer private space": 200,
        "customer sees description": True,
        "non_customer private space": 403,
        "non_customer sees description": False,
        "member pk": member_pk,
        # Recognition, contests and the directory on SQLite, which refuses some SQL
        # PostgreSQL accepts (an ORDER BY inside a UNION's parts, for one).
        "customer pages": {
            "/members/": 200,
            f"/members/{member_pk}/": 200,
            f"/members/{member_pk}/contributions/": 200,
            "/recognition/me/": 200,
            "/recognition/leaderboard/": 200,
            "/rewards/": 200,
            "/badges/": 200,
            "/contests/": 200,
            "/notifications/": 200,
        },
    }
