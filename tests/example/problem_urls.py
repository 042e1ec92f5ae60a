"""URLs of the error and envelope test views (mounted at /api/test/ by the test project)."""

from django.urls import path

from tests.example import problem_views as views

urlpatterns = [
    path("validation", views.ValidationView.as_view()),
    path("json-only", views.JSONOnlyView.as_view()),
    path("basic-auth", views.BasicAuthView.as_view()),
    path("forbidden", views.ForbiddenView.as_view()),
    path("items/<int:pk>", views.ItemView.as_view()),
    path("get-only", views.GetOnlyView.as_view()),
    path("throttled", views.ThrottledView.as_view()),
    path("conflict", views.ConflictView.as_view()),
    path("server-error", views.ServerErrorView.as_view()),
    path("database", views.DatabaseView.as_view()),
    path("registered", views.RegisteredProblemView.as_view()),
    path("raise/<str:kind>", views.RaiseView.as_view()),
    path("envelope", views.EnvelopeView.as_view()),
    path("no-envelope", views.NoEnvelopeView.as_view()),
    path("empty", views.EmptyView.as_view()),
    path("plain/not-found", views.plain_not_found),
    path("plain/post-only", views.plain_post_only),
    path("plain/server-error", views.plain_server_error),
    path("plain/database", views.plain_database),
]
