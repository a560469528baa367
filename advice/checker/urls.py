from django.urls import path

from . import views

urlpatterns = [
    path("checker/", views.checker, name="checker"),
    path("checker/how-it-works/", views.how_it_works, name="checker_method"),
    path("api/checker/", views.checker_api, name="checker_api"),
]
