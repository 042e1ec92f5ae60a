from django.urls import path

from bench import baselines

urlpatterns = [
    path("drf/items", baselines.Items.as_view({"get": "list"})),
    path("drf/items/<int:pk>", baselines.Items.as_view({"get": "retrieve"})),
    path("drf/bare", baselines.BareItems.as_view()),
    path("raw/bare", baselines.raw_bare_items),
]
