app_name = "ambassadors"

urlpatterns: list = []
