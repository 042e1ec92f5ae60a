from django.urls import path

from tests.testing import views

urlpatterns = [
    path("envelope", views.envelope),
    path("problem", views.problem),
    path("unwrapped", views.unwrapped),
    path("html", views.html),
    path("no-content", views.no_content),
    path("whoami", views.WhoAmI.as_view()),
    path("mail", views.send_mail_and_count),
    path("enqueue", views.enqueue_task),
    path("items", views.OpenItemList.as_view()),
    path("items/<int:pk>", views.OpenItemDetail.as_view()),
]
