"""Minutes: compiles meeting records written in Markdown into a static website.

The build is a pipeline of stages, each a module:
load (files -> raw records) -> validate (raw records -> model) ->
link (references, backlinks, attendance) -> plan (pages and URLs) ->
render (Jinja2) -> write (atomic, only changed bytes).
"""

__version__ = "0.1.0"
