"""Doing only the work a change calls for: the sealed build cache and what each output was made from."""
