"""Files: uploads checked by size and real content type, stored on the local disk or object
storage (``STORAGE_URL``), served through signed, expiring links, and streamed file responses.

See docs/files.md. Model fields: :class:`FileField`, :class:`ImageField` (``max_size``,
``content_types``); responses: :func:`file_response`, :func:`static_file`,
:func:`stored_file_response`; links: :func:`file_url`.
"""

from kit.files.links import file_url
from kit.files.models import FileField, ImageField
from kit.files.responses import file_response, static_file, stored_file_response

__all__ = ["FileField", "ImageField", "file_response", "file_url", "static_file", "stored_file_response"]
