from django.urls import path

from . import views

app_name = "helpcenter"
urlpatterns = [
    path("", views.index, name="index"),
    path("menus/", views.menus, name="menus"),
    path("<slug:slug>/", views.entry, name="entry"),
]
