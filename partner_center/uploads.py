"""A hard cap on the size of a request body with files, enforced while it is read.

Django streams uploaded files to temporary files with no size limit of its own; the per-file
checks of each app (10 MB for certification attachments and opportunity evidence, 5 MB for
an import) only run once the whole file has arrived. This handler, first in
`FILE_UPLOAD_HANDLERS`, refuses a multipart body larger than `UPLOAD_MAX_REQUEST_BYTES`
before reading it when the client announces its length, and stops reading as soon as the
received file data passes the cap when it does not (chunked transfer). The refusal is
Django's `RequestDataTooBig`: a 400 page for browsers, a 400 with a `detail` for the API.
Nothing of the request is stored."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def limit_bytes() -> int:
    return settings.UPLOAD_MAX_REQUEST_BYTES


def limit_text() -> str:
    return filesizeformat(limit_bytes())  # "12.0 MB", in the active language


def too_big_message() -> str:
    return _("The upload is too large: at most %(size)s can be sent at once.") % {
        "size": limit_text()
    }


class RequestSizeCapHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length and content_length > limit_bytes():
            raise RequestDataTooBig(too_big_message())

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > limit_bytes():
            raise RequestDataTooBig(too_big_message())
        return raw_data  # the next handler stores it

    def file_complete(self, file_size):
        return None  # the next handler makes the file


def bad_request(request, exception):
    """The 400 page (handler400): says how large an upload may be."""
    from django.shortcuts import render

    return render(request, "400.html", {"upload_limit": limit_text()}, status=400)
