app_name = "plays"

urlpatterns: list = []
