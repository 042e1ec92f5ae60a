from django.urls import path

from tests.files.app.views import DocumentDetail, DocumentList

urlpatterns = [
    path("documents", DocumentList.as_view(), name="document-list"),
    path("documents/<int:pk>", DocumentDetail.as_view(), name="document-detail"),
]
