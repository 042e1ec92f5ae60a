"""RPC methods of the test project (imported when Django starts: ``kit.rpc`` autodiscovery)."""

from decimal import Decimal

from rest_framework import serializers

import kit.rpc
from kit.errors import Problem


@kit.rpc.method(name="calc.add", permission="calc:add")
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@kit.rpc.method(name="calc.divide", permission="calc:add")
def divide(a: float, b: float) -> float:
    """Divide ``a`` by ``b`` (dividing by zero is a bug here: an internal error)."""
    return a / b


@kit.rpc.method(name="calc.total", permission="calc:add")
def total(prices: list[Decimal], discount: Decimal | None = None) -> Decimal:
    """The sum of ``prices``, less ``discount``."""
    return sum(prices, Decimal(0)) - (discount or 0)


class RangeParams(serializers.Serializer):
    start = serializers.IntegerField(min_value=0)
    stop = serializers.IntegerField(max_value=1000)

    def validate(self, attrs):
        if attrs["start"] > attrs["stop"]:
            raise serializers.ValidationError("start must not exceed stop.")
        return attrs


@kit.rpc.method(name="calc.range", permission="calc:add", serializer_class=RangeParams)
def number_range(start: int, stop: int) -> list[int]:
    """The integers from ``start`` to ``stop`` (validated by a DRF serializer)."""
    return list(range(start, stop))


@kit.rpc.method(name="calc.reserve", permission="calc:add")
def reserve(quantity: int) -> None:
    """Always out of stock: a problem raised by a method."""
    raise Problem(409, "conflict", f"Cannot reserve {quantity}: out of stock.")


@kit.rpc.method(name="whoami")
def whoami(request) -> str:
    """The caller's username (any authenticated caller)."""
    return request.user.get_username()


@kit.rpc.method(name="echo", public=True)
def echo(value=None):
    """``value`` back, for anyone."""
    return value
