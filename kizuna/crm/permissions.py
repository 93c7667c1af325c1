"""Who may import from a CRM, and who may see an import's rows."""

from kizuna.crm.mapping import is_economic
from kizuna.crm.models import ImportJob
from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.roles import Capability


def can_import(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.MANAGE_ACCOUNTS)


def may_import_economics(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.VIEW_ACCOUNT_ECONOMICS)


def has_economic_columns(job: ImportJob) -> bool:
    return any(is_economic(target) for target in job.mapping)


def can_view_job(viewer: Viewer, job: ImportJob) -> bool:
    """Staff who import; a file with ARR or custom-field columns only for those who see them."""
    return can_import(viewer) and (not has_economic_columns(job) or may_import_economics(viewer))
