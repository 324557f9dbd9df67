"""The command line and the tools a clerk runs: build, check, serve (the preview), new, init and import."""
