from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no public address: they are read only through a permission-checked view."""

    def url(self, name):
        raise ValueError("Prescription files have no URL; serve them through prescriptions:file.")
