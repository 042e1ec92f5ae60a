"""URLs of the services tests, mounted at /services-test/ by the test project."""

from django.urls import path

from tests.services import views

urlpatterns = [
    path("call", views.CallView.as_view()),
    path("gather", views.GatherView.as_view()),
    path("proxy/<path:path>", views.OpenProxy.as_view()),
    path("guarded/<path:path>", views.GuardedProxy.as_view()),
]
