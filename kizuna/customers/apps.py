from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "kizuna.customers"
    label = "customers"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from kizuna.customers.receivers import link_member_on_email_confirmed

        email_confirmed.connect(
            link_member_on_email_confirmed, dispatch_uid="kizuna.customers.link_member"
        )
