"""A local copy of schema.org's definitions (``schema.json``) and a checker for our JSON-LD against it."""
