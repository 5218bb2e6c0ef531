"""The demo site's content, as plain Python data, and the loader that writes it.

Every medical fact here comes from the project's checked fact sheet (sourced
label, NHS, FDA and journal facts); facts the sheet marks as unchecked are left
out. The data is copied into Python so nothing reads the fact sheet at run time.
Run it with ``manage.py load_demo``.
"""
