from django.urls import path

from tests.realtime import views

urlpatterns = [
    path("live-items", views.LiveItemList.as_view()),
    path("live-items/<int:pk>", views.LiveItemDetail.as_view()),
    path("own-items", views.OwnItemList.as_view()),
    path("own-items/<int:pk>", views.OwnItemDetail.as_view()),
    path("revoke-my-tokens", views.RevokeMyTokens.as_view()),
]
