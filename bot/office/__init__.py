"""The office's own knowledge base: uploaded plans, what is published, and the admin audit log.

uploads.py checks and stores an uploaded file and parses it with the indexer; catalog.py records every
plan (shipped and uploaded) with its status; publish.py builds an engine over the published set and
swaps it into the running app; audit.py appends who did what. The /admin views (bot/channels/web/admin*.py)
are the only callers.
"""
