from django.apps import AppConfig


class FilesExampleConfig(AppConfig):
    name = "tests.files.app"
    label = "files_example"
    default_auto_field = "django.db.models.BigAutoField"
