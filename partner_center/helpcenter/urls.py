app_name = "helpcenter"
urlpatterns: list = []
