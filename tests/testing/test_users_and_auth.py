import pytest
from django.contrib.auth import get_user_model
from rest_framework.authentication import BaseAuthentication, BasicAuthentication, SessionAuthentication
from rest_framework_simplejwt.authentication import JWTAuthentication

from kit.authentication.api_keys.authentication import ApiKeyAuthentication
from kit.authentication.api_keys.keys import hash_key
from kit.authentication.api_keys.models import ApiKey
from kit.testing.credentials import authenticate, credentials_provider

pytestmark = pytest.mark.urls("tests.testing.urls")
JWT_AND_SESSION = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ]
}


def test_make_user_creates_distinct_users_with_a_known_password(make_user):
    first, second = make_user(), make_user(is_staff=True)
    assert first.username != second.username
    assert first.email == f"{first.username}@example.com"
    assert second.is_staff
    assert first.check_password(first.plain_password)
    assert get_user_model().objects.count() == 2


def test_make_user_takes_a_name_and_fields(make_user):
    user = make_user("ann", password="s3cret", email="ann@corp.example", first_name="Ann")
    assert (user.username, user.email, user.first_name) == ("ann", "ann@corp.example", "Ann")
    assert user.check_password("s3cret")


def test_django_permissions_are_granted(make_user):
    user = make_user(permissions=["example.view_item", "example.add_item"])
    assert user.has_perms(["example.view_item", "example.add_item"])
    assert not user.has_perm("example.delete_item")


@pytest.mark.parametrize(
    ("grant", "message"),
    [
        ({"permissions": ["nonsense"]}, "neither a kit permission"),
        ({"permissions": ["example.fly_item"]}, "there is no Django permission 'example.fly_item'"),
        ({"role": "admin"}, "has no 'role' field"),
    ],
)
def test_bad_grants_are_explained(make_user, grant, message):
    with pytest.raises(ValueError, match=message):
        make_user(**grant)


def test_auth_client_uses_the_first_configured_authentication(auth_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, **JWT_AND_SESSION}
    client = auth_client()
    response = client.get("/whoami")
    assert response.status_code == 200
    assert response.data == {"username": client.user.username, "authentication": "JWTAuthentication"}
    assert client._credentials["HTTP_AUTHORIZATION"].startswith("Bearer ey")


@pytest.mark.parametrize(
    ("authentication", "name"),
    [
        (JWTAuthentication, "JWTAuthentication"),
        (ApiKeyAuthentication, "ApiKeyAuthentication"),
        ("rest_framework.authentication.SessionAuthentication", "SessionAuthentication"),
        (BasicAuthentication, "BasicAuthentication"),
    ],
)
def test_auth_client_authenticates_through_each_class(auth_client, authentication, name):
    response = auth_client(authentication=authentication).get("/whoami")
    assert response.status_code == 200
    assert response.data["authentication"] == name


def test_auth_client_with_api_keys_only_sends_a_real_key(auth_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_AUTHENTICATION_CLASSES": ["kit.authentication.api_keys.authentication.ApiKeyAuthentication"],
    }
    client = auth_client(rights=["items:read"])
    assert client._credentials["HTTP_AUTHORIZATION"] == f"Api-Key {client.api_key}"
    stored = ApiKey.objects.get(owner=client.user)
    assert stored.hashed_key == hash_key(client.api_key)  # a key like any other, checked by its hash
    assert client.get("/whoami").data == {
        "username": client.user.username,
        "authentication": "ApiKeyAuthentication",
    }
    stored.revoked = True
    stored.save()
    assert client.get("/whoami").status_code == 401  # nothing bypasses the authentication


def test_auth_client_with_an_existing_user(auth_client, make_user):
    user = make_user("bob")
    client = auth_client(user, permissions=["example.view_item"])
    assert client.user == user
    assert user.has_perm("example.view_item")
    assert client.get("/whoami").data["username"] == "bob"


def test_basic_authentication_sets_a_password_when_unknown(auth_client, django_user_model):
    user = django_user_model.objects.create_user("carol")
    response = auth_client(user, authentication=BasicAuthentication).get("/whoami")
    assert response.data["username"] == "carol"


def test_expired_or_tampered_credentials_are_refused(auth_client, api_client):
    client = auth_client(authentication=JWTAuthentication)
    header = client._credentials["HTTP_AUTHORIZATION"]
    api_client.credentials(HTTP_AUTHORIZATION=header[:-2] + "xx")
    assert api_client.get("/whoami").status_code == 401


def test_unknown_authentication_is_an_explained_error(auth_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_AUTHENTICATION_CLASSES": ["tests.testing.test_users_and_auth.HeaderAuthentication"],
    }
    with pytest.raises(LookupError, match=r"cannot authenticate through \['tests.testing.*HeaderAuth"):
        auth_client()


class HeaderAuthentication(BaseAuthentication):
    """An authentication class the kit has no credentials provider for."""


def test_a_registered_provider_is_used_for_subclasses(make_user):
    calls = []
    credentials_provider(f"{__name__}.HeaderAuthentication")(lambda client, user: calls.append(user))

    class Subclass(HeaderAuthentication):
        pass

    user = make_user()
    assert authenticate(object(), user, Subclass) is Subclass
    assert calls == [user]


def test_session_authentication_is_a_real_login(auth_client):
    client = auth_client(authentication=SessionAuthentication)
    assert "sessionid" in client.cookies
