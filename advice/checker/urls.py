from django.urls import path

from . import views

urlpatterns = [
    path("checker/", views.checker, name="checker"),
    path("api/checker/", views.checker_api, name="checker_api"),
]
