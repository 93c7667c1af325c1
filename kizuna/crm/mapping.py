"""What each column of a CRM export is: the fields a column can fill, and the headers we know.

Salesforce and HubSpot export their standard fields under fixed headers, in English or in
Japanese depending on the exporting user's language; Kizuna's own labels (ARR, 更新日 …) and
the custom fields' keys and labels are recognised too. Headers are compared folded (NFKC,
case, spaces and punctuation removed), so 「取引先 ID」, 「取引先ID」 and 「取引先ＩＤ」 are one.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from kizuna.crm.models import ImportJob
from kizuna.customers.economics import CUSTOM_FIELD_PREFIX, ECONOMIC_FIELDS
from kizuna.customers.models import Contact, CustomerAccount, CustomField

IGNORE = ""
DOMAINS = "domains"
# Contact columns that are not Contact fields: the name in two parts, and the contact's account.
FIRST_NAME, LAST_NAME = "first_name", "last_name"
ACCOUNT_REF, ACCOUNT_NAME = "account_ref", "account_name"

ACCOUNT_TARGETS = [
    "name",
    "salesforce_id",
    "hubspot_id",
    "external_id",
    DOMAINS,
    "plan",
    "currency",
    "arr_minor",
    "mrr_minor",
    "ltv_minor",
    "expected_lifetime_months",
    "contract_start",
    "renewal_date",
    "lifecycle_stage",
    "csm_owner",
    "industry",
    "region",
    "employee_band",
    "is_strategic",
]
CONTACT_TARGETS = [
    "email",
    "full_name",
    LAST_NAME,
    FIRST_NAME,
    "title",
    "phone",
    "external_id",
    "is_primary",
    ACCOUNT_REF,
    ACCOUNT_NAME,
]
# Columns a file must have one of, per kind, to find or create anything.
ACCOUNT_KEYS = frozenset({"name", "salesforce_id", "hubspot_id", "external_id", DOMAINS})

_EXTRA_LABELS: dict[str, StrOrPromise] = {
    "name": _("Company name"),
    DOMAINS: _("Email domain or website"),
    "full_name": _("Full name"),
    FIRST_NAME: _("First name"),
    LAST_NAME: _("Last name"),
    ACCOUNT_REF: _("Account ID in the CRM"),
    ACCOUNT_NAME: _("Account name"),
    "external_id": _("External ID"),
}

_SF, _HS, _KZ = ImportJob.Source.SALESFORCE, ImportJob.Source.HUBSPOT, ImportJob.Source.KIZUNA

# (header, target, which CRM writes it: None when several do or it says nothing about the CRM)
ACCOUNT_HEADERS: list[tuple[str, str, str | None]] = [
    # Salesforce, English and Japanese
    ("Account ID", "salesforce_id", _SF),
    ("取引先 ID", "salesforce_id", _SF),
    ("Account Name", "name", _SF),
    ("取引先名", "name", _SF),
    ("Annual Revenue", "arr_minor", None),
    ("年間売上", "arr_minor", _SF),
    ("Website", DOMAINS, _SF),
    ("Web サイト", DOMAINS, _SF),
    ("Industry", "industry", None),
    ("業種", "industry", None),
    ("Billing State/Province", "region", _SF),
    ("請求先都道府県", "region", _SF),
    ("Employees", "employee_band", _SF),
    ("従業員数", "employee_band", None),
    ("Account Owner", "csm_owner", _SF),
    ("取引先 所有者", "csm_owner", _SF),
    ("Account Owner Email", "csm_owner", _SF),
    ("取引先 所有者 メール", "csm_owner", _SF),
    # HubSpot, English and Japanese
    ("Record ID", "hubspot_id", _HS),
    ("レコードID", "hubspot_id", _HS),
    ("Company name", "name", _HS),
    ("会社名", "name", _HS),
    ("Company Domain Name", DOMAINS, _HS),
    ("会社のドメイン名", DOMAINS, _HS),
    ("Website URL", DOMAINS, _HS),
    ("ウェブサイトURL", DOMAINS, _HS),
    ("年間収益", "arr_minor", _HS),
    ("Number of Employees", "employee_band", _HS),
    ("Company owner", "csm_owner", _HS),
    ("会社の所有者", "csm_owner", _HS),
    ("State/Region", "region", _HS),
    ("都道府県/地域", "region", _HS),
    # Kizuna's own column names
    ("ARR", "arr_minor", _KZ),
    ("年間経常収益", "arr_minor", _KZ),
    ("MRR", "mrr_minor", _KZ),
    ("月間経常収益", "mrr_minor", _KZ),
    ("LTV", "ltv_minor", _KZ),
    ("顧客生涯価値", "ltv_minor", _KZ),
    ("更新日", "renewal_date", _KZ),
    ("契約更新日", "renewal_date", _KZ),
    ("Renewal", "renewal_date", _KZ),
    ("契約開始日", "contract_start", _KZ),
    ("プラン", "plan", _KZ),
    ("ライフサイクル", "lifecycle_stage", _KZ),
    ("ライフサイクルステージ", "lifecycle_stage", _KZ),
    ("Lifecycle", "lifecycle_stage", _KZ),
    ("通貨", "currency", _KZ),
    ("CSM", "csm_owner", _KZ),
    ("担当CSM", "csm_owner", _KZ),
    ("CSM email", "csm_owner", _KZ),
    ("地域", "region", _KZ),
    ("Domain", DOMAINS, _KZ),
    ("ドメイン", DOMAINS, _KZ),
    ("メールドメイン", DOMAINS, _KZ),
    ("外部ID", "external_id", _KZ),
    ("Salesforce ID", "salesforce_id", _KZ),
    ("HubSpot ID", "hubspot_id", _KZ),
    ("Strategic", "is_strategic", _KZ),
    ("戦略アカウント", "is_strategic", _KZ),
    ("想定契約期間", "expected_lifetime_months", _KZ),
    ("従業員規模", "employee_band", _KZ),
]
CONTACT_HEADERS: list[tuple[str, str, str | None]] = [
    # Salesforce
    ("Contact ID", "external_id", _SF),
    ("取引先責任者 ID", "external_id", _SF),
    ("First Name", FIRST_NAME, None),
    ("名", FIRST_NAME, None),
    ("Last Name", LAST_NAME, None),
    ("姓", LAST_NAME, None),
    ("Email", "email", None),
    ("メール", "email", _SF),
    ("Title", "title", _SF),
    ("役職", "title", None),
    ("Phone", "phone", _SF),
    ("電話", "phone", _SF),
    ("Account ID", ACCOUNT_REF, _SF),
    ("取引先 ID", ACCOUNT_REF, _SF),
    ("Account Name", ACCOUNT_NAME, _SF),
    ("取引先名", ACCOUNT_NAME, _SF),
    # HubSpot
    ("Record ID", "external_id", _HS),
    ("レコードID", "external_id", _HS),
    ("Eメール", "email", _HS),
    ("Job Title", "title", _HS),
    ("Phone Number", "phone", _HS),
    ("電話番号", "phone", _HS),
    ("Associated Company ID", ACCOUNT_REF, _HS),
    ("関連付けられた会社ID", ACCOUNT_REF, _HS),
    ("Company Name", ACCOUNT_NAME, _HS),
    ("会社名", ACCOUNT_NAME, _HS),
    ("Associated Company", ACCOUNT_NAME, _HS),
    ("関連付けられた会社", ACCOUNT_NAME, _HS),
    # Kizuna's own column names
    ("Full name", "full_name", _KZ),
    ("Name", "full_name", _KZ),
    ("氏名", "full_name", _KZ),
    ("名前", "full_name", _KZ),
    ("メールアドレス", "email", _KZ),
    ("Email address", "email", _KZ),
    ("主担当", "is_primary", _KZ),
    ("Main contact", "is_primary", _KZ),
    ("会社ID", ACCOUNT_REF, _KZ),
    ("外部ID", "external_id", _KZ),
]

_PUNCTUATION = re.compile(r"[\s_\-‐・･:：/／()（）\[\]「」.。]+")


def fold(header: str) -> str:
    """A header as compared: NFKC, case-folded, without spaces and punctuation."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", header).casefold())


def _model_for(kind: str) -> type[CustomerAccount] | type[Contact]:
    return CustomerAccount if kind == ImportJob.Kind.ACCOUNTS else Contact


def target_label(kind: str, target: str, custom_fields: dict[str, CustomField]) -> str:
    if target.startswith(CUSTOM_FIELD_PREFIX):
        field = custom_fields.get(target.removeprefix(CUSTOM_FIELD_PREFIX))
        return field.label if field else target
    if target in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[target])
    model_field = _model_for(kind)._meta.get_field(target)
    text = str(getattr(model_field, "verbose_name", target))
    return text[:1].upper() + text[1:]


def target_choices(kind: str, custom_fields: dict[str, CustomField]) -> list[tuple[str, str]]:
    """Every target a column of this kind of file may fill, then "ignore"."""
    names = ACCOUNT_TARGETS if kind == ImportJob.Kind.ACCOUNTS else CONTACT_TARGETS
    choices = [(name, target_label(kind, name, custom_fields)) for name in names]
    if kind == ImportJob.Kind.ACCOUNTS:
        choices += [
            (CUSTOM_FIELD_PREFIX + key, str(field.label)) for key, field in custom_fields.items()
        ]
    return [(IGNORE, str(pgettext_lazy("crm column", "Ignore"))), *choices]


def is_economic(target: str) -> bool:
    """Columns only staff who may see account economics may import (ARR, LTV, custom fields)."""
    return target in ECONOMIC_FIELDS or target.startswith(CUSTOM_FIELD_PREFIX)


@dataclass(frozen=True)
class Suggestion:
    mapping: list[str]
    source: str


def _known_headers(
    kind: str, custom_fields: dict[str, CustomField]
) -> tuple[dict[str, str], dict[str, str | None]]:
    """Folded header → target, and folded header → the CRM it marks."""
    listed = ACCOUNT_HEADERS if kind == ImportJob.Kind.ACCOUNTS else CONTACT_HEADERS
    targets: dict[str, str] = {}
    sources: dict[str, str | None] = {}
    # Our own field names and labels in both languages come first; CRM headers win over them.
    names = ACCOUNT_TARGETS if kind == ImportJob.Kind.ACCOUNTS else CONTACT_TARGETS
    for language in ("en", "ja"):
        with translation.override(language):
            for name in names:
                targets.setdefault(fold(target_label(kind, name, custom_fields)), name)
    for name in names:
        targets.setdefault(fold(name), name)
    if kind == ImportJob.Kind.ACCOUNTS:
        for key, field in custom_fields.items():
            targets[fold(key)] = CUSTOM_FIELD_PREFIX + key
            targets[fold(field.label)] = CUSTOM_FIELD_PREFIX + key
    for header, target, source in listed:
        targets[fold(header)] = target
        sources[fold(header)] = source
    return targets, sources


def suggest_mapping(
    kind: str, headers: Iterable[str], custom_fields: dict[str, CustomField]
) -> Suggestion:
    """A target for each header we recognise (each target used once), and the CRM they show."""
    targets, sources = _known_headers(kind, custom_fields)
    mapping: list[str] = []
    used: set[str] = set()
    votes: dict[str, int] = {}
    for header in headers:
        folded = fold(header)
        target = targets.get(folded, IGNORE)
        if target in used:
            target = IGNORE
        if target:
            used.add(target)
            source = sources.get(folded)
            if source:
                votes[source] = votes.get(source, 0) + 1
        mapping.append(target)
    crm_votes = {source: count for source, count in votes.items() if source != _KZ}
    if crm_votes:
        source = max(crm_votes, key=lambda name: (crm_votes[name], name == _SF))
    elif votes:
        source = _KZ
    else:
        source = ImportJob.Source.OTHER
    return Suggestion(mapping=mapping, source=source)
