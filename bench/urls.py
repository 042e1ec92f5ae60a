from django.urls import path

from bench import views

urlpatterns = [
    path("kit/items", views.KitItems.as_view()),
    path("kit/items/<int:pk>", views.KitItem.as_view()),
    path("kit/bare", views.KitBareItems.as_view()),
    path("drf/items", views.DRFItems.as_view({"get": "list"})),
    path("drf/items/<int:pk>", views.DRFItems.as_view({"get": "retrieve"})),
    path("drf/bare", views.DRFBareItems.as_view()),
    path("raw/bare", views.raw_bare_items),
]
