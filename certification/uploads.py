"""Certification files are checked, stored and served by the project's one upload module,
`partner_center.uploads` (the same rule for every door and every app); this module keeps the
names certification code imports."""

from partner_center.uploads import (  # noqa: F401 - re-exported
    ALL_FORMATS,
    FORMATS,
    IMAGE_FORMATS,
    MAX_BYTES,
    MAX_PIXELS,
    MIME,
    CheckedFile,
    accept_attribute,
    check_upload,
    delete_quietly,
    download_response,
    formats_text,
    open_stored,
    relative_path,
    storage,
    store,
)
