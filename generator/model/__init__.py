"""The published record: its immutable values, how they are validated from the source, and how they link."""
