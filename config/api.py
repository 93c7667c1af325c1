"""The JSON API: one NinjaAPI, one router per domain app, one error envelope."""

from ninja import NinjaAPI

from kizuna.core.api_errors import install_error_handlers, not_found_router
from kizuna.customers.api import router as accounts_router
from kizuna.identity.api import router as members_router
from kizuna.spaces.api import denial_code
from kizuna.spaces.api import router as spaces_router

api = NinjaAPI(
    title="Kizuna API",
    version="1.0.0",
    urls_namespace="api",
    description=(
        "Spaces, memberships, join requests, invitations, customer accounts and members. "
        "Authenticate with `Authorization: Bearer kz_…` (an API key staff create; it acts as "
        "its creator and needs the scope each operation names) or, from the browser, the "
        "session cookie with the CSRF token. Every error answers "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
)
install_error_handlers(api, denial_code=denial_code)
api.add_router("", spaces_router)
api.add_router("", accounts_router)
api.add_router("", members_router)
api.add_router("", not_found_router())  # last: it matches every other path
