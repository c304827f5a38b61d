from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("paths/", views.paths, name="paths"),
    path("paths/join/", views.path_change, {"action": "join"}, name="path_join"),
    path("paths/exit/", views.path_change, {"action": "exit"}, name="path_exit"),
    path("deregister/", views.deregister, name="deregister"),
    path("pce/", views.pce, name="pce"),
    path("pce/applications/", views.pce_queue, name="pce_queue"),
    path("pce/applications/<int:pk>/", views.pce_review, name="pce_review"),
]
