"""Bringing existing records into a site: `minutes import moderngov` (a council's ModernGov web
service) and `minutes import document` (minutes written in Word, as text or as a PDF).

`moderngov` talks to the web service, `mapping` turns its answers into records, `wordhtml`
turns the Word HTML it carries into Markdown, and `run` runs an import and sums it up;
`document` and `drafting` read a document and cut it into a meeting; `files` writes records
so that importing again changes only what changed and never a file a clerk has edited.
"""
