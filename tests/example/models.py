"""Models of the example app used by the kit's tests and benchmarks."""

import uuid

from django.conf import settings
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """Eight plain fields including a datetime, a decimal and a foreign key (the benchmark shape)."""

    name = models.CharField(max_length=100, unique=True)
    count = models.IntegerField(default=0)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    is_active = models.BooleanField(default=True)
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class Specimen(models.Model):
    """Every field type a read plan reads (the read plan's property test), nullable where it can be."""

    class Size(models.TextChoices):
        SMALL = "s", "Small"
        LARGE = "l", "Large"

    char = models.CharField(max_length=40, null=True)  # noqa: DJ001 - nulls are what it tests
    text = models.TextField(null=True)  # noqa: DJ001 - nulls are what it tests
    email = models.EmailField(null=True)  # noqa: DJ001 - nulls are what it tests
    slug = models.SlugField(null=True)  # noqa: DJ001 - nulls are what it tests
    url = models.URLField(null=True)  # noqa: DJ001 - nulls are what it tests
    integer = models.IntegerField(null=True)
    big = models.BigIntegerField(null=True)
    small = models.SmallIntegerField(null=True)
    positive = models.PositiveIntegerField(null=True)
    flag = models.BooleanField(default=False)
    maybe = models.BooleanField(null=True)
    real = models.FloatField(null=True)
    money = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    rate = models.DecimalField(max_digits=4, decimal_places=4, null=True)
    whole = models.DecimalField(max_digits=10, decimal_places=0, null=True)
    precise = models.DecimalField(max_digits=30, decimal_places=10, null=True)
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)
    clock = models.TimeField(null=True)
    span = models.DurationField(null=True)
    uid = models.UUIDField(null=True)
    document = models.JSONField(null=True)
    address = models.GenericIPAddressField(null=True)
    size = models.CharField(max_length=1, choices=Size.choices, null=True)  # noqa: DJ001 - nulls are what it tests
    level = models.IntegerField(choices=[(1, "low"), (2, "high")], null=True)
    category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        # Declared, so that system checks need no database connection to vouch for the JSONField.
        required_db_features = {"supports_json_field"}

    def __str__(self) -> str:
        return f"specimen {self.pk}"

    @property
    def shout(self) -> str | None:
        return self.char and self.char.upper()
