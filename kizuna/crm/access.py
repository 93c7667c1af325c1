"""The entry that fetches an import and authorises the viewer, once per request."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kizuna.crm.models import ImportJob
from kizuna.crm.permissions import can_import, can_view_job
from kizuna.identity.permissions import Viewer
from kizuna.identity.roles import Capability


def access_import_job(viewer: Viewer, pk: int, *, with_file: bool = False) -> ImportJob:
    """The import with this id if the viewer may see it: 403 without the import capability or,
    for a file with economic columns, without the right to see economics; 404 when missing."""
    if not can_import(viewer):
        raise PermissionDenied(Capability.MANAGE_ACCOUNTS.value)
    jobs = ImportJob.objects.select_related("created_by", "run_by")
    job = (jobs if with_file else jobs.defer("raw")).filter(pk=pk).first()
    if job is None:
        raise Http404
    if not can_view_job(viewer, job):
        raise PermissionDenied(Capability.VIEW_ACCOUNT_ECONOMICS.value)
    return job
