"""Media URLs of every host (sites and the platform console), in development and production alike.

``<MEDIA_URL>library/<name>``: library attachments, only while their resource is public.
``<MEDIA_URL><schema>/<path>``: the host's own schema's files (local storage; 404 for any other).
Replaces Django's DEBUG-only ``static()`` helper, which served every site's files from every host.
"""

from django.urls import path

from shared_library.downloads import serve_library_file
from shared_library.storage import files_url_path
from tenants.media import serve_site_media

_library = files_url_path().lstrip("/")  # "media/library/"
_media = _library.removesuffix("library/")  # "media/"

urlpatterns = [
    path(f"{_library}<path:name>", serve_library_file, name="library_file"),
    path(f"{_media}<path:path>", serve_site_media, name="site_media"),
]
