"""The JSON API: one NinjaAPI, one router per domain app, one error envelope."""

from typing import Any

from ninja import NinjaAPI

from kizuna.core.api_errors import install_error_handlers, not_found_router
from kizuna.customers.api import router as accounts_router
from kizuna.identity.api import router as members_router
from kizuna.identity.api_auth import ApiKeyAuth
from kizuna.spaces.api import describe_denial
from kizuna.spaces.api import router as spaces_router


class KizunaAPI(NinjaAPI):
    """Ninja, plus each operation's API-key scope written into its OpenAPI security."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        scopes = self._scopes_by_operation_id()
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                scope = scopes.get(operation.get("operationId", ""))
                if scope is None:
                    continue
                operation["security"] = [
                    {"ApiKeyAuth": [scope]} if "ApiKeyAuth" in requirement else requirement
                    for requirement in operation.get("security", [])
                ]
                operation["description"] = (
                    operation.get("description", "") + f"\n\nAPI key scope: `{scope}`."
                ).strip()
        return schema

    def _scopes_by_operation_id(self) -> dict[str, str]:
        scopes: dict[str, str] = {}
        for _prefix, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    for auth in operation.auth_callbacks:
                        if isinstance(auth, ApiKeyAuth):
                            operation_id = operation.operation_id or self.get_openapi_operation_id(
                                operation
                            )
                            scopes[operation_id] = auth.scope
        return scopes


api = KizunaAPI(
    title="Kizuna API",
    version="1.0.0",
    urls_namespace="api",
    description=(
        "Spaces, memberships, join requests, invitations, customer accounts and members. "
        "Authenticate with `Authorization: Bearer kz_…` (an API key staff create; it acts as "
        "its creator and needs the scope each operation names) or, from the browser, the "
        "session cookie with the CSRF token in `X-CSRFToken`. Every error answers "
        '`{"error": {"code", "message", "fields"}}`. Lists take `limit` (1–100) and '
        "`offset` and answer `items` with the total `count`."
    ),
)
install_error_handlers(api, describe_denial=describe_denial)
api.add_router("", spaces_router)
api.add_router("", accounts_router)
api.add_router("", members_router)
api.add_router("", not_found_router())  # last: it matches every other path
