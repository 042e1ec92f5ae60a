from django.urls import include, path

from bench import views

urlpatterns = [
    path("kit/items", views.Items.as_view()),
    path("kit/items/<int:pk>", views.ItemDetail.as_view()),
    path("kit/bare", views.BareItems.as_view()),
    path("", include("bench.baseline_urls")),
]
