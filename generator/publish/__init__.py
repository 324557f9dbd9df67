"""Putting the built site in place: writing files, and checking the links between them."""
