"""URLs of kit.files, included by ``kit.urls``: ``api/files/<token>/<filename>``."""

from django.urls import path

from kit.files.links import DOWNLOAD_URL_NAME
from kit.files.views import download

urlpatterns = [
    path("api/files/<str:token>/<str:filename>", download, name=DOWNLOAD_URL_NAME),
]
