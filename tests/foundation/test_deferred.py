"""``kit.deferred``: a base class imported on first use makes the class a direct subclass would be."""

from kit.deferred import complete, deferred_base


class StandIn:
    def __init__(self) -> None:
        self.calls = ["stand-in"]


class Real(StandIn):
    flag = "real"

    def __init__(self) -> None:
        super().__init__()
        self.calls.append("real")

    def name(self) -> str:
        return "real"


def subclasses(**options):  # type: ignore[no-untyped-def]
    """A class on a new deferred base (standing in for ``Real``) and a subclass of it."""

    class Kit(deferred_base(f"{__name__}.Real", StandIn, **options)):  # type: ignore[misc]
        def name(self) -> str:
            return "kit+" + super().name()

    class User(Kit):
        def name(self) -> str:
            return "user+" + super().name()

    return Kit, User


def test_the_first_instance_puts_the_real_base_in_place_for_every_subclass():
    kit, user = subclasses()
    assert not issubclass(kit, Real) and issubclass(kit, StandIn)
    instance = user()
    assert type(instance) is user
    assert instance.calls == ["stand-in", "real"]  # the real __init__ ran
    assert instance.name() == "user+kit+real"
    assert user.__mro__ == (user, kit, Real, StandIn, object)
    assert isinstance(kit(), Real) and kit().name() == "kit+real"


def test_without_on_instance_an_attribute_the_stand_in_lacks_completes_the_class():
    kit, user = subclasses(on_instance=False)
    instance = user()  # made before: the stand-in's __init__ only
    assert instance.calls == ["stand-in"]
    assert not issubclass(user, Real)
    assert instance.flag == "real"  # first (super() in a subclass's method does not complete it)
    assert issubclass(user, Real) and isinstance(instance, Real)
    assert instance.name() == "user+kit+real"

    kit, user = subclasses(on_instance=False)
    assert user.flag == "real"  # on the class
    assert user.__mro__ == (user, kit, Real, StandIn, object)


def test_a_missing_attribute_is_still_missing():
    kit, _ = subclasses(on_instance=False)
    for owner in (kit, kit()):
        try:
            owner.missing
        except AttributeError:
            pass
        else:
            raise AssertionError("no AttributeError")
    assert issubclass(kit, Real)


def test_complete_does_it_at_once_and_says_whether_anything_was_left():
    kit, user = subclasses(on_instance=False)
    assert complete(user) is True
    assert user.__mro__ == (user, kit, Real, StandIn, object)
    assert complete(user) is False
