"""Where prescription files are kept: a private folder (the default), or a private S3-compatible bucket
(``S3_PRIVATE_BUCKET``). Either way they have no URL: they are read by the app and streamed only through the
permission-checked views (``prescriptions.views``)."""

from django.core.files.storage import FileSystemStorage

NO_URL = "Prescription files have no URL; serve them through prescriptions:file."


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no public address: they are read only through a permission-checked view. On disk they are the
    app's alone: files 0600, folders 0700 (no other account on the server reads a prescription)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(*args, **kwargs)

    def url(self, name):
        raise ValueError(NO_URL)
