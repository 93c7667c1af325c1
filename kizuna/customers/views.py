from django.views.generic import TemplateView


class AccountListView(TemplateView):
    template_name = "customers/account_list/index.html"
