"""Prescription files in a private S3-compatible bucket (``S3_PRIVATE_BUCKET``; see settings/base.py): a module of
its own so that a site keeping its files on disk never imports boto3."""

from storages.backends.s3 import S3Storage

from prescriptions.storage import NO_URL


class PrivateS3Storage(S3Storage):
    """Private objects (ACL ``private``) in a bucket of their own. No URL, signed or not: the app reads them through
    the storage API and the permission-checked views stream them (``prescriptions.views``)."""

    default_acl = "private"
    querystring_auth = True

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)
