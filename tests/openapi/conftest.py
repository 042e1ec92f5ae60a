"""A running service generated from the template, one per module that calls it over HTTP."""

import pytest

from tests.template.support import TemplateService


@pytest.fixture(scope="module")
def template_service(tmp_path_factory):
    service = TemplateService(tmp_path_factory.mktemp("template-service") / "my-service")
    try:
        service.start()
        yield service
    finally:
        service.stop()
