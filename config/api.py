"""The JSON API: one NinjaAPI, one router per domain app, one error envelope."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.operation import Operation

from kizuna.ambassadors.api import router as ambassadors_router
from kizuna.badges.api import router as badges_router
from kizuna.cohorts.api import router as cohorts_router
from kizuna.content.api import router as content_router
from kizuna.core.api_errors import error_response, install_error_handlers, not_found_router
from kizuna.crm.api import router as crm_router
from kizuna.customers.api import router as accounts_router
from kizuna.customers.tier_api import router as tiers_router
from kizuna.events.api import router as events_router
from kizuna.gamification.api import denial_messages as recognition_denial_messages
from kizuna.gamification.api import router as recognition_router
from kizuna.identity.api import router as members_router
from kizuna.identity.api_auth import ApiKeyAuth
from kizuna.moderation.api import router as moderation_router
from kizuna.moderation.rate_limits import RateLimitExceededError
from kizuna.notifications.api import router as notifications_router
from kizuna.plays.api import router as plays_router
from kizuna.rewards.api import denial_messages as rewards_denial_messages
from kizuna.rewards.api import router as rewards_router
from kizuna.search.api import router as search_router
from kizuna.segments.api import router as segments_router
from kizuna.spaces.api import describe_denial as describe_space_denial
from kizuna.spaces.api import router as spaces_router
from kizuna.success.api import router as success_router


class KizunaAPI(NinjaAPI):
    """Ninja, plus each operation's API-key scope written into its OpenAPI security."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        scopes = self._scopes_by_operation_id()
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                _paging_parameters_first(operation)
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

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Ninja names an operation after its module; an app's API split into a package
        # (kizuna/content/api/posts.py) keeps the name of the app's API, so a split leaves the
        # operation ids, and every client generated from them, unchanged.
        module = operation.view_func.__module__
        app_api = module.split(".api.", 1)[0] + ".api" if ".api." in module else module
        return f"{app_api}_{operation.view_func.__name__}".replace(".", "_")

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


def _paging_parameters_first(operation: dict[str, Any]) -> None:
    # `@paginate` adds limit and offset after an endpoint's own parameters; every list has
    # documented them first, then the query's, then the path's, and clients generated from the
    # document take the parameters in that order.
    parameters = operation.get("parameters", [])
    if {"limit", "offset"} <= {parameter["name"] for parameter in parameters}:
        parameters.sort(
            key=lambda parameter: (
                parameter["name"] not in ("limit", "offset"),
                parameter["in"] != "query",
            )
        )


def _content_denial_messages() -> dict[str, str]:
    # The reasons content, engagement, Q&A and moderation services give; none names content.
    return {
        "sign_in": _("Sign in to do this."),
        "post_in_space": _("You cannot post in this space."),
        "announcement": _("Only staff can post announcements."),
        "answer": _(
            "You cannot answer this post: it is locked, held or in a space you cannot post in."
        ),
        "comment": _("You cannot comment on this post."),
        "comment_answer": _("You cannot comment on this answer."),
        "edit_post": _("You cannot edit this post."),
        "edit_answer": _("You cannot edit this answer."),
        "accept_answer": _("Only the asker or a moderator can accept an answer to a question."),
        "view_post": _("You cannot see this post."),
        "view_answer": _("You cannot see this answer."),
        "view_space": _("You cannot see this space's content."),
        "unanswered_queue": _("The unanswered queue is for staff and the moderators of a space."),
        "moderate": _("Only the moderators of this space can do this."),
        "flag": _("You cannot flag this."),
    }


def describe_denial(exc: PermissionDenied) -> tuple[str, str]:
    """The envelope's code and message for a refusal: the space policy's, else the content's."""
    code, message = describe_space_denial(exc)
    if code != "permission_denied":
        return code, message
    messages = {
        **_content_denial_messages(),
        **recognition_denial_messages(),
        **rewards_denial_messages(),
    }
    reason = str(exc)
    if reason in messages:
        return reason, messages[reason]
    return code, message


api = KizunaAPI(
    title="Kizuna API",
    version="1.0.0",
    urls_namespace="api",
    description=(
        "Spaces, memberships, join requests, invitations, customer accounts, members, posts, "
        "answers, comments, reactions, bookmarks, follows, search, notifications and the "
        "review queue; points, ledgers, balances, levels, badges, leaderboards, the rewards "
        "catalog and redemptions. "
        "Authenticate with `Authorization: Bearer kz_…` (an API key staff create; it acts as "
        "its creator and needs the scope each operation names) or, from the browser, the "
        "session cookie with the CSRF token in `X-CSRFToken`. Every error answers "
        '`{"error": {"code", "message", "fields"}}`. Lists take `limit` (1–100) and '
        "`offset` and answer `items`, the total `count` (null for the leaderboard, which is "
        "never counted) and `has_more`."
    ),
)
install_error_handlers(api, describe_denial=describe_denial)


def _on_rate_limited(request: HttpRequest, exc: Any) -> HttpResponse:
    assert isinstance(exc, RateLimitExceededError)
    response = error_response(api, request, status=429, code="throttled", message=exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_exception_handler(RateLimitExceededError, _on_rate_limited)
api.add_router("", spaces_router)
api.add_router("", accounts_router)
api.add_router("", tiers_router)
api.add_router("", members_router)
api.add_router("", content_router)
api.add_router("", search_router)
api.add_router("", notifications_router)
api.add_router("", moderation_router)
api.add_router("", recognition_router)
api.add_router("", badges_router)
api.add_router("", rewards_router)
api.add_router("", cohorts_router)
api.add_router("", events_router)
api.add_router("", crm_router)
api.add_router("", segments_router)
api.add_router("", ambassadors_router)
api.add_router("", plays_router)
api.add_router("", success_router)
api.add_router("", not_found_router())  # last: it matches every other path
