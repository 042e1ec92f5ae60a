from django.urls import path

from bench import views

urlpatterns = [
    path("kit/items", views.KitItems.as_view()),
    path("drf/items", views.DRFItems.as_view({"get": "list"})),
    path("raw/items", views.raw_items),
]
