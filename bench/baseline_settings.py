"""Settings of a plain Django + DRF project serving ``bench.baselines`` (no kit): the memory baseline.

What ``django-admin startproject`` gives (its apps but the admin, whose autodiscovery would import
the example app's kit admin; its middleware), plus DRF, django-filter and simplejwt, on the
benchmark's database.
"""

import os
from datetime import timedelta

import environ

DEBUG = False
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.baseline_urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "tests.example.apps.ExampleConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": environ.Env.db_url_config(os.environ.get("BENCH_DATABASE_URL", "sqlite:///bench.sqlite3"))
}
DATABASES["default"]["CONN_MAX_AGE"] = None
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(hours=2)}
