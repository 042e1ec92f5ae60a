"""kit.rendering and kit.shortcuts with Django templates and with Jinja2."""

import pytest
from django.template import TemplateDoesNotExist
from django.utils import translation

from kit import rendering
from kit.errors.exceptions import Problem
from kit.shortcuts import get_object_or_404, html_response_template
from tests.example.models import Category, Item

JINJA2 = {
    "NAME": "jinja2",
    "BACKEND": "django.template.backends.jinja2.Jinja2",
    "APP_DIRS": True,
    "OPTIONS": {
        "environment": "kit.jinja2.environment",
        "extensions": ["jinja2.ext.loopcontrols"],
        "translations": "django.utils.translation",
    },
}


@pytest.fixture
def jinja2(settings):
    settings.TEMPLATES = [*settings.TEMPLATES, JINJA2]
    settings.KIT = {**settings.KIT, "TEMPLATE_ENGINE": "jinja2"}


def test_render_a_template_file():
    assert rendering.render("greeting.txt", name="Ada", count=2).strip() == "Hello Ada, you have 2 items."


def test_render_a_template_string_escapes_html():
    assert rendering.render_string("<p>{{ name }}</p>", name="<b>Ada</b>") == "<p>&lt;b&gt;Ada&lt;/b&gt;</p>"


def test_a_missing_template_raises():
    with pytest.raises(TemplateDoesNotExist):
        rendering.render("nowhere.txt")


def test_html_response_template():
    response = html_response_template("page.html", 201, title="Created")

    assert response.status_code == 201
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.decode().strip() == "<p>Created</p>"


def test_jinja2_with_extensions_and_django_translations(jinja2):
    with translation.override("fr"):
        text = rendering.render("greeting.html", months=["January", "February"], name="<Ada>")

    assert text.strip() == "janvier | Oui | &lt;Ada&gt; | /api/tasks/abc"


def test_jinja2_render_string(jinja2):
    assert rendering.render_string("{{ a + b }} {{ _('No') }}", a=1, b=2) == "3 No"


def test_jinja2_with_the_standard_library_gettext(settings):
    settings.TEMPLATES = [
        *settings.TEMPLATES,
        {**JINJA2, "OPTIONS": {**JINJA2["OPTIONS"], "translations": "gettext"}},
    ]
    settings.KIT = {**settings.KIT, "TEMPLATE_ENGINE": "jinja2"}

    assert rendering.render_string("{% trans %}Hello{% endtrans %}") == "Hello"


@pytest.mark.django_db
def test_get_object_or_404_finds_the_object():
    item = Item.objects.create(name="anvil")

    assert get_object_or_404(Item, pk=item.pk) == item
    assert get_object_or_404(Item.objects.filter(count=0), name="anvil") == item
    assert get_object_or_404(Item.objects, name="anvil") == item


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", [{"pk": 123456}, {"pk": "not-a-number"}, {"uid": "not-a-uuid"}])
def test_get_object_or_404_raises_the_not_found_problem(lookup):
    with pytest.raises(Problem) as raised:
        get_object_or_404(Item, **lookup)

    assert raised.value.status_code == 404
    assert raised.value.code == "not_found"
    assert str(raised.value.detail) == "No item matches the given query."


@pytest.mark.django_db
def test_get_object_or_404_names_the_model():
    with pytest.raises(Problem, match="No category matches"):
        get_object_or_404(Category, name="nothing")
