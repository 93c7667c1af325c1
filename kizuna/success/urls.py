app_name = "success"

urlpatterns: list = []
