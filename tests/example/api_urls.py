"""URLs of the kit.api test views (errors, envelope, CSV, decorators), mounted at /api/test/."""

from django.urls import path

from tests.example import api_views as views

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
    path("database-bug", views.DatabaseBugView.as_view()),
    path("registered", views.RegisteredProblemView.as_view()),
    path("raise/<str:kind>", views.RaiseView.as_view()),
    path("envelope", views.EnvelopeView.as_view()),
    path("no-envelope", views.NoEnvelopeView.as_view()),
    path("empty", views.EmptyView.as_view()),
    path("plain/not-found", views.plain_not_found),
    path("plain/post-only", views.plain_post_only),
    path("plain/server-error", views.plain_server_error),
    path("plain/database", views.plain_database),
    path("plain/database-bug", views.plain_database_bug),
    path("export/items", views.ExportItemList.as_view()),
    path("export/rendered", views.RenderedCSVView.as_view()),
    path("deprecated", views.DeprecatedView.as_view()),
    path("partly-deprecated", views.PartlyDeprecatedView.as_view()),
    path("deprecated-function", views.deprecated_function_view),
    path("development", views.DevelopmentView.as_view()),
    path("partly-development", views.PartlyDevelopmentView.as_view()),
    path("partner", views.PartnerView.as_view()),
    path("public-function", views.public_function_view),
]
