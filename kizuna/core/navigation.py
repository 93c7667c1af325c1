from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_path(request: HttpRequest, candidate: str) -> str:
    """`candidate` if it is a path on this site, for redirecting back to it; else ''.

    url_has_allowed_host_and_scheme() also accepts "!!!" or "page", which redirect() would
    then try to reverse as a URL name; only an absolute path is a page of ours.
    """
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""
