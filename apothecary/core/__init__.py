"""The core every app stands on; it imports no app.

HTTP helpers, rate limits, the resilient cache, middleware, roles and group names, text and HTML policies, admin and
command helpers.
"""
