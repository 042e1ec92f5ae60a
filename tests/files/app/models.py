"""A model with files: an attachment with limits and a picture (the files tests' subject)."""

from django.db import models

from kit import files


class Document(models.Model):
    title = models.CharField(max_length=100, unique=True)
    attachment = files.FileField(
        upload_to="documents/",
        blank=True,
        max_size=4096,
        content_types=["application/pdf", "image/*", "text/plain", "text/csv"],
    )
    picture = files.ImageField(upload_to="pictures/", blank=True, null=True, max_size=64 * 1024)

    def __str__(self) -> str:
        return self.title
