"""CRM imports: a CSV export of accounts or contacts, its column mapping, its check and its result.

The uploaded file is kept in PostgreSQL with the job (not on a worker's disk), so a check or
an import a killed worker left undone can be run again by any worker. A job moves through
mapping → checking → checked → running → done; the rows' errors and what each row changed are
kept beside it for the preview and the report.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", pgettext_lazy("crm import kind", "Accounts")
        CONTACTS = "contacts", pgettext_lazy("crm import kind", "Contacts")

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Columns to match")
        CHECKING = "checking", _("Checking the rows")
        CHECKED = "checked", _("Checked")
        RUNNING = "running", _("Importing")
        DONE = "done", pgettext_lazy("crm import status", "Imported")
        FAILED = "failed", _("Stopped")

    class Source(models.TextChoices):
        SALESFORCE = "salesforce", "Salesforce"
        HUBSPOT = "hubspot", "HubSpot"
        KIZUNA = "kizuna", _("Kizuna's own column names")
        OTHER = "other", _("Not recognised")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.MAPPING, db_index=True
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size"))
    raw = models.BinaryField(_("file contents"))
    encoding = models.CharField(_("character encoding"), max_length=40)
    delimiter = models.CharField(max_length=1, default=",")
    headers = models.JSONField(_("column headers"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # The first few rows' cells, shown beside each column on the mapping page.
    samples = models.JSONField(default=list)
    source = models.CharField(
        _("recognised as"), max_length=16, choices=Source.choices, default=Source.OTHER
    )
    # One target per column, in the file's order: a field name, "custom:<key>", or "" to ignore.
    mapping = models.JSONField(_("column mapping"), default=list)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    failure = models.CharField(_("why it stopped"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When the check or the import was last queued: a sweep queues it again if no worker holds
    # the job a while later (a worker holds the job's row lock while it works on it).
    queued_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "queued_at"], name="crm_import_queued")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.RUNNING)

    @property
    def can_run(self) -> bool:
        return self.status == self.Status.CHECKED and self.rejected_count == 0

    @property
    def has_errors(self) -> bool:
        return self.status == self.Status.CHECKED and self.rejected_count > 0


class ImportRowError(models.Model):
    """A reason a row cannot be imported: its line in the file (the header is line 1), its column."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    line = models.PositiveIntegerField(_("line"))
    column = models.CharField(_("column"), max_length=255, blank=True)
    message = models.CharField(_("problem"), max_length=500)

    class Meta:
        ordering = ["line", "pk"]
        indexes = [models.Index(fields=["job", "line"], name="crm_row_error_line")]

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


class ImportRowResult(models.Model):
    """A row that creates or changes an account or a contact: in the preview what it would do,
    after the import what it did."""

    class Outcome(models.TextChoices):
        CREATED = "created", pgettext_lazy("crm import row", "Created")
        UPDATED = "updated", pgettext_lazy("crm import row", "Updated")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_results")
    line = models.PositiveIntegerField(_("line"))
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    label = models.CharField(max_length=255)
    account = models.ForeignKey(
        "customers.CustomerAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The names of the fields the row changes (account fields, "custom:<key>", "domains").
    changed = models.JSONField(default=list)

    class Meta:
        ordering = ["line", "pk"]
        indexes = [models.Index(fields=["job", "line"], name="crm_row_result_line")]

    def __str__(self) -> str:
        return f"{self.line}: {self.outcome} {self.label}"
