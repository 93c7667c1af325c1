import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand, CommandParser

from kizuna.demo import data
from kizuna.demo.community import is_demo_loaded


def current_totp_code(secret: str) -> str:
    """The six digits an authenticator app shows right now for this secret."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))


class Command(BaseCommand):
    help = "Print the demo site's URL and its logins (staff with their TOTP secrets)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        url = f"http://127.0.0.1:{options['port']}/"
        if not is_demo_loaded():
            self.stdout.write(
                "デモデータがありません。manage.py load_demo を実行してください。\n"
                "The demo is not loaded: run manage.py load_demo first."
            )
            return
        admin = data.STAFF[0]
        csm = next(p for p in data.STAFF if p.staff_role == "csm")
        rows = [
            ("スタッフ（管理者） / Staff administrator", admin),
            ("スタッフ（CSM） / Staff CSM", csm),
            ("顧客メンバー / Customer member", data.CUSTOMER_LOGIN),
            ("非顧客メンバー / Non-customer member", data.NON_CUSTOMER_LOGIN),
        ]
        lines = [
            "",
            "=" * 72,
            f"Kizuna デモコミュニティ / demo community: {data.PRODUCT_NAME}（{data.VENDOR_NAME}）",
            f"URL: {url}",
            f"パスワード（全員共通） / Password (all logins): {data.DEMO_PASSWORD}",
            "",
        ]
        for label, person in rows:
            lines.append(f"{label}")
            lines.append(f"  {person.display_name} <{person.email}>")
            if person.totp_secret:
                lines.append(
                    f"  TOTP シークレット / secret: {person.totp_secret}  "
                    f"(現在のコード / current code: {current_totp_code(person.totp_secret)})"
                )
        lines += [
            "",
            "スタッフは二要素認証（TOTP）が必須です。シークレットを認証アプリに登録してください。",
            "Staff pages need TOTP: add the secret to an authenticator app (or use the code above).",
            "その他のスタッフ / Other staff roles (same password):",
        ]
        for person in data.STAFF:
            if person not in (admin, csm):
                lines.append(f"  {person.staff_role:<18} {person.email}  TOTP {person.totp_secret}")
        lines.append("=" * 72)
        self.stdout.write("\n".join(lines))
